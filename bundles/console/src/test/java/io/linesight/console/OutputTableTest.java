package io.linesight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.output.OutputState;
import io.linesight.api.output.OutputStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutputTableTest {

    static final Instant TAKEN = Instant.parse("2026-11-22T08:30:00Z");

    static OutputStatus connected(String id) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("pulsesSent", 11L);
        counters.put("rejectsMissed", 0L);
        return new OutputStatus(id, "plc", "127.0.0.1:1502", List.of(), OutputState.CONNECTED, "",
                Optional.of(TAKEN.minusMillis(400)), counters, TAKEN);
    }

    static OutputStatus unreachable(String id) {
        return new OutputStatus(id, "plc", "10.0.0.7:502", List.of("line-2", "line-3"), OutputState.DISCONNECTED,
                "PLC unreachable for 12.3 s: Connection refused", Optional.empty(), Map.of("pulsesSent", 0L), TAKEN);
    }

    @Test
    void oneAlignedRowPerOutput() {
        String expected = """
                OUTPUT   KIND  TARGET          STATE         HEARTBEAT  LINES          DETAIL
                default  plc   127.0.0.1:1502  CONNECTED     0.4 s ago  all            -
                press-2  plc   10.0.0.7:502    DISCONNECTED  never      line-2,line-3  PLC unreachable for 12.3 s: Connection refused""";

        assertEquals(expected, OutputTable.format(List.of(connected("default"), unreachable("press-2"))));
    }

    @Test
    void detailListsEveryCounterInItsOrder() {
        String expected = """
                output           default
                kind             plc
                target           127.0.0.1:1502
                lines            all
                state            CONNECTED
                detail           -
                last heartbeat   2026-11-22T08:29:59.600Z (0.4 s ago)
                  pulsesSent     11
                  rejectsMissed  0
                snapshot taken   2026-11-22T08:30:00Z""";

        assertEquals(expected, OutputTable.detail(connected("default")));
    }

    @Test
    void noOutputSaysWhichConfigurationMakesOne() {
        assertTrue(OutputTable.format(List.of()).contains("factory PID io.linesight.plc.modbus"));
        assertEquals("No output 'x'. Known outputs: a, b", OutputTable.unknownOutput("x", List.of("a", "b")));
    }
}
