package io.linesight.scada.opcua;

import io.linesight.api.output.OutputState;
import io.linesight.api.output.OutputStatus;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * What an output's variables show, from one {@link OutputStatus} snapshot. Pure functions: the source
 * timestamp is the snapshot's time, the server timestamp is passed in.
 */
final class OutputValues {

    private static final DataValue WAITING = new DataValue(new StatusCode(StatusCodes.Bad_WaitingForInitialData));

    private OutputValues() {
    }

    /** The value of one fixed variable. */
    static DataValue of(OutputVariable variable, OutputStatus status, DateTime serverTime) {
        if (variable == OutputVariable.LAST_HEARTBEAT && status.lastHeartbeat().isEmpty()) {
            return WAITING;
        }
        return good(value(variable, status), status, serverTime);
    }

    /** The value of one counter; a counter the output stopped reporting reads Bad_NoData. */
    static DataValue counter(String name, OutputStatus status, DateTime serverTime) {
        Long value = status.counters().get(name);
        if (value == null) {
            return new DataValue(new StatusCode(StatusCodes.Bad_NoData));
        }
        return good(new Variant(value), status, serverTime);
    }

    private static Variant value(OutputVariable variable, OutputStatus status) {
        return switch (variable) {
            case KIND -> new Variant(status.kind());
            case TARGET -> new Variant(status.target());
            case LINES -> new Variant(String.join(",", status.lines()));
            case STATE -> new Variant(status.state().name());
            case CONNECTED -> new Variant(status.state() == OutputState.CONNECTED);
            case DETAIL -> new Variant(status.detail());
            case LAST_HEARTBEAT -> new Variant(new DateTime(status.lastHeartbeat().orElseThrow()));
        };
    }

    private static DataValue good(Variant value, OutputStatus status, DateTime serverTime) {
        return new DataValue(value, StatusCode.GOOD, new DateTime(status.taken()), serverTime);
    }
}
