package io.linesight.api.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutputStatusTest {

    @Test
    void countersKeepTheirOrderAndAreACopy() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("zeta", 1L);
        counters.put("alpha", 2L);
        counters.put("mid", 3L);
        List<String> lines = new ArrayList<>(List.of("line-1"));

        OutputStatus status = new OutputStatus("default", "plc", "127.0.0.1:502", lines, OutputState.CONNECTED, null,
                Optional.empty(), counters, Instant.EPOCH);
        counters.put("late", 4L);
        lines.add("line-2");

        assertEquals(List.of("zeta", "alpha", "mid"), List.copyOf(status.counters().keySet()));
        assertEquals(List.of("line-1"), status.lines());
        assertEquals("", status.detail(), "a missing detail reads as empty text");
        assertThrows(UnsupportedOperationException.class, () -> status.counters().put("x", 1L));
    }

    @Test
    void identityAndStateAreRequired() {
        assertThrows(NullPointerException.class, () -> new OutputStatus(null, "plc", "t", List.of(),
                OutputState.CONNECTED, "", Optional.empty(), Map.of(), Instant.EPOCH));
        assertThrows(NullPointerException.class, () -> new OutputStatus("id", "plc", "t", List.of(),
                null, "", Optional.empty(), Map.of(), Instant.EPOCH));
    }
}
