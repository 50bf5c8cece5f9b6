package io.linesight.scada.opcua;

import io.linesight.api.event.Alarm;
import java.util.Optional;
import java.util.function.BiFunction;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.api.methods.AbstractMethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Runtime/AcknowledgeAlarm(AlarmId: Int64) -> Result: String}: an operator acknowledges an alarm listed in
 * {@code Runtime/ActiveAlarms} (its {@code #id}). Recorded in the alarm journal as {@code opcua:<user>}. An id that
 * names no unacknowledged alarm is Bad_NotFound; observers cannot call it (UserExecutable false, as for the line
 * methods).
 */
final class AcknowledgeAlarmMethod extends AbstractMethodInvocationHandler {

    static final String NAME = "AcknowledgeAlarm";
    private static final Logger LOG = LoggerFactory.getLogger(AcknowledgeAlarmMethod.class);
    private static final Argument ALARM_ID = new Argument("AlarmId", Identifiers.Int64, ValueRanks.Scalar, null,
            LocalizedText.english("The alarm's number, as '#<id>' in Runtime/ActiveAlarms"));
    private static final Argument RESULT = new Argument("Result", Identifiers.String, ValueRanks.Scalar, null,
            LocalizedText.english("What happened, in one sentence"));

    private final BiFunction<Long, String, Optional<Alarm>> acknowledger;

    AcknowledgeAlarmMethod(UaMethodNode node, BiFunction<Long, String, Optional<Alarm>> acknowledger) {
        super(node);
        this.acknowledger = acknowledger;
    }

    @Override
    public Argument[] getInputArguments() {
        return new Argument[] {ALARM_ID};
    }

    @Override
    public Argument[] getOutputArguments() {
        return new Argument[] {RESULT};
    }

    @Override
    protected Variant[] invoke(InvocationContext context, Variant[] inputs) throws UaException {
        ScadaUser user = context.getSession().map(Session::getIdentityObject)
                .filter(ScadaUser.class::isInstance).map(ScadaUser.class::cast).orElse(null);
        if (user == null || !user.mayCallMethods()) {
            throw new UaException(StatusCodes.Bad_UserAccessDenied);
        }
        long id = (Long) inputs[0].getValue();
        String who = "opcua:" + user.name();
        Optional<Alarm> done = acknowledger.apply(id, who);
        if (done.isEmpty()) {
            LOG.warn("OPC UA: {} tried to acknowledge alarm #{}, which is not listed or already acknowledged", who, id);
            throw new UaException(new StatusCode(StatusCodes.Bad_NotFound),
                    "no unacknowledged alarm #" + id + "; read Runtime/ActiveAlarms for the ids");
        }
        String result = "alarm #" + id + " " + done.get().kind() + " " + done.get().source() + " acknowledged by " + who;
        LOG.info("OPC UA: {}", result);
        return new Variant[] {new Variant(result)};
    }
}
