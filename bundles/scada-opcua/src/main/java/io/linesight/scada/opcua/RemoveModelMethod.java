package io.linesight.scada.opcua;

import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.api.methods.AbstractMethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.api.methods.InvalidArgumentException;
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
 * {@code Runtime/RemoveModel(Name: String, Version: String) -> Result: String}: deletes a stored model version
 * through the model deployment, as {@code opcua:<user>}. Refusals map as for ActivateModel: Bad_InvalidState while
 * the version is active, in a shadow trial, a rollback target or being activated; Bad_NotFound for an unknown one.
 * Arguments are checked as the line methods check theirs; observers cannot call it.
 */
final class RemoveModelMethod extends AbstractMethodInvocationHandler {

    static final String NAME = "RemoveModel";
    private static final Logger LOG = LoggerFactory.getLogger(RemoveModelMethod.class);
    private static final Argument[] INPUTS = {
        new Argument("Name", Identifiers.String, ValueRanks.Scalar, null, LocalizedText.english("Package name")),
        new Argument("Version", Identifiers.String, ValueRanks.Scalar, null, LocalizedText.english("Package version"))};
    private static final Argument RESULT = new Argument("Result", Identifiers.String, ValueRanks.Scalar, null,
            LocalizedText.english("What happened, in one sentence"));

    private final LineCommands commands;

    RemoveModelMethod(UaMethodNode node, LineCommands commands) {
        super(node);
        this.commands = commands;
    }

    @Override
    public Argument[] getInputArguments() {
        return INPUTS.clone();
    }

    @Override
    public Argument[] getOutputArguments() {
        return new Argument[] {RESULT};
    }

    @Override
    protected void validateInputArgumentValues(Variant[] values) throws InvalidArgumentException {
        StatusCode[] results = new StatusCode[values.length];
        boolean bad = false;
        for (int i = 0; i < values.length; i++) {
            boolean ok = values[i].getValue() instanceof String text && !text.isBlank()
                    && text.length() <= LineMethod.MAX_TEXT && text.chars().noneMatch(Character::isISOControl);
            results[i] = ok ? StatusCode.GOOD : new StatusCode(StatusCodes.Bad_InvalidArgument);
            bad |= !ok;
        }
        if (bad) {
            throw new InvalidArgumentException(results);
        }
    }

    @Override
    protected Variant[] invoke(InvocationContext context, Variant[] inputs) throws UaException {
        ScadaUser user = context.getSession().map(Session::getIdentityObject)
                .filter(ScadaUser.class::isInstance).map(ScadaUser.class::cast).orElse(null);
        if (user == null || !user.mayCallMethods()) {
            throw new UaException(StatusCodes.Bad_UserAccessDenied);
        }
        String name = ((String) inputs[0].getValue()).trim();
        String version = ((String) inputs[1].getValue()).trim();
        try {
            String result = commands.removeModel(name, version, user);
            LOG.info("OPC UA: {} by {}: {}", NAME, user.name(), result);
            return new Variant[] {new Variant(result)};
        } catch (CommandRefusedException e) {
            LOG.warn("OPC UA: {} {}@{} by {} refused: {}", NAME, name, version, user.name(), e.getMessage());
            throw new UaException(new StatusCode(e.statusCode()), e.getMessage());
        }
    }
}
