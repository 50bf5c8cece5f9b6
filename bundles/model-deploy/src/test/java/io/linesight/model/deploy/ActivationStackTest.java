package io.linesight.model.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linesight.api.deploy.Activation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActivationStackTest {

    private final List<Activation> history = new ArrayList<>();

    private void add(String action, String model, String previous) {
        history.add(new Activation(history.size() + 1, Instant.now(), "l", model, "sha", previous, action, "t", null, null));
    }

    private ActivationStack stack() {
        return ActivationStack.replay(history);
    }

    @Test
    void anEmptyHistoryHasNothing() {
        assertEquals(Optional.empty(), stack().active());
        assertEquals(Optional.empty(), stack().rollbackTarget());
    }

    @Test
    void rollbacksWalkBackOneStepEach() {
        add("activate", "m@1", null);
        add("activate", "m@2", "m@1");
        add("activate", "m@3", "m@2");
        assertEquals(Optional.of("m@2"), stack().rollbackTarget());
        add("rollback", "m@2", "m@3");
        assertEquals(Optional.of("m@2"), stack().active());
        assertEquals(Optional.of("m@1"), stack().rollbackTarget());
        add("rollback", "m@1", "m@2");
        assertEquals(Optional.of("m@1"), stack().active());
        assertEquals(Optional.empty(), stack().rollbackTarget());
    }

    @Test
    void theModelBeforeTheFirstActivationIsARollbackTarget() {
        add("activate", "m@2", "m@1");
        assertEquals(Optional.of("m@1"), stack().rollbackTarget());
    }

    @Test
    void refusalsChangeNothingAndReactivatingTheSameModelAddsNoStep() {
        add("activate", "m@1", null);
        add("refused", "m@9", "m@1");
        add("activate", "m@1", "m@1");
        assertEquals(Optional.of("m@1"), stack().active());
        assertEquals(Optional.empty(), stack().rollbackTarget());
    }

    @Test
    void aShadowTrialChangesNothingAndItsPromotionIsAnOrdinaryStep() {
        add("activate", "m@1", null);
        add("shadow", "m@2", "m@1");
        assertEquals(Optional.of("m@1"), stack().active());
        assertEquals(Optional.empty(), stack().rollbackTarget());
        add("activate", "m@2", "m@1");
        assertEquals(Optional.of("m@2"), stack().active());
        assertEquals(Optional.of("m@1"), stack().rollbackTarget());
    }
}
