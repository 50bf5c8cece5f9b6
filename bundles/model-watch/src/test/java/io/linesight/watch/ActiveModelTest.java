package io.linesight.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linesight.api.deploy.Activation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which model a line's history shows as active, for the health window's "did the line switch since?" check. */
class ActiveModelTest {

    private static Activation entry(String action, String model) {
        return new Activation(1, Instant.now(), "A", model, "sha-" + model, null, action, "t", null, null);
    }

    private static LineHealth.OpenWindow watching(String modelId) {
        return new LineHealth.OpenWindow(new Object(), modelId.replace('@', ':'), modelId, "sha-" + modelId, "",
                null, null, 0, 0, 0, false);
    }

    @Test
    void aShadowTrialOrARefusalAfterTheActivationLeavesTheModelUnderWatchActive() {
        List<Activation> history = List.of(entry("activate", "m@1"), entry("shadow", "m@2"), entry("refused", "m@3"));
        assertEquals(Optional.empty(), HealthWindowComponent.activeModel(history, watching("m@1")));
        List<Activation> promoted = List.of(entry("activate", "m@1"), entry("shadow", "m@2"), entry("activate", "m@2"));
        assertEquals(Optional.of("m@2"), HealthWindowComponent.activeModel(promoted, watching("m@1")));
    }
}
