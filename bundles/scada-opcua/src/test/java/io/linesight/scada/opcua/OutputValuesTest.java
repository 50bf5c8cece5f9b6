package io.linesight.scada.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linesight.api.output.OutputState;
import io.linesight.api.output.OutputStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.junit.jupiter.api.Test;

class OutputValuesTest {

    static final Instant TAKEN = Instant.parse("2026-11-22T08:30:00Z");
    static final Instant BEAT = TAKEN.minusMillis(400);
    private static final DateTime NOW = new DateTime(TAKEN.plusMillis(1));

    static OutputStatus status(OutputState state, String detail, Optional<Instant> heartbeat) {
        return new OutputStatus("default", "plc", "127.0.0.1:1502", List.of("line-1", "line-2"), state, detail,
                heartbeat, Map.of("pulsesSent", 11L, "rejectsMissed", 2L), TAKEN);
    }

    @Test
    void everyVariableComesFromTheSnapshotWithItsTimeAsSourceTimestamp() {
        OutputStatus status = status(OutputState.CONNECTED, "", Optional.of(BEAT));

        assertEquals("plc", value(OutputVariable.KIND, status));
        assertEquals("127.0.0.1:1502", value(OutputVariable.TARGET, status));
        assertEquals("line-1,line-2", value(OutputVariable.LINES, status));
        assertEquals("CONNECTED", value(OutputVariable.STATE, status));
        assertEquals(true, value(OutputVariable.CONNECTED, status));
        assertEquals("", value(OutputVariable.DETAIL, status));
        assertEquals(BEAT, ((DateTime) value(OutputVariable.LAST_HEARTBEAT, status)).getJavaInstant());
        assertEquals(TAKEN, OutputValues.of(OutputVariable.STATE, status, NOW).getSourceTime().getJavaInstant());
        assertEquals(NOW, OutputValues.of(OutputVariable.STATE, status, NOW).getServerTime());
    }

    @Test
    void disconnectedWithoutHeartbeatWaitsForInitialData() {
        OutputStatus status = status(OutputState.DISCONNECTED, "PLC unreachable for 3.0 s: Connection refused",
                Optional.empty());

        assertEquals(false, value(OutputVariable.CONNECTED, status));
        assertEquals("PLC unreachable for 3.0 s: Connection refused", value(OutputVariable.DETAIL, status));
        assertEquals(StatusCodes.Bad_WaitingForInitialData,
                OutputValues.of(OutputVariable.LAST_HEARTBEAT, status, NOW).getStatusCode().getValue());
    }

    @Test
    void countersAreInt64AndAVanishedOneHasNoData() {
        OutputStatus status = status(OutputState.CONNECTED, "", Optional.empty());

        assertEquals(2L, OutputValues.counter("rejectsMissed", status, NOW).getValue().getValue());
        DataValue gone = OutputValues.counter("renamed", status, NOW);
        assertEquals(StatusCodes.Bad_NoData, gone.getStatusCode().getValue());
    }

    private static Object value(OutputVariable variable, OutputStatus status) {
        return OutputValues.of(variable, status, NOW).getValue().getValue();
    }
}
