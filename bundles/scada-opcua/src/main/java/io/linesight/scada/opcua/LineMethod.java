package io.linesight.scada.opcua;

import java.util.function.Consumer;
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
 * One operator method of a line folder: ResetCounters(), ActivateModel(name, version), RollbackModel(),
 * ShadowModel(name, version), StopShadow() or PromoteModel(), each returning a String {@code Result}.
 *
 * <p>Milo checks before {@link #invoke}: the UserExecutable attribute (false for observers, see
 * {@link LineSightNamespace}; their call ends in Bad_UserAccessDenied), the argument count
 * (Bad_ArgumentsMissing, Bad_TooManyArguments) and the argument types (Bad_InvalidArgument with
 * Bad_TypeMismatch for the argument). Here: strings must be non-empty, at most {@value #MAX_TEXT}
 * characters and free of control characters (Bad_InvalidArgument). A refused command returns its
 * status code; its reason is logged and shown in the line's {@code LastCommandResult}.
 */
final class LineMethod extends AbstractMethodInvocationHandler {

    static final int MAX_TEXT = 200;
    private static final Logger LOG = LoggerFactory.getLogger(LineMethod.class);
    private static final Argument RESULT = new Argument("Result", Identifiers.String, ValueRanks.Scalar, null,
            LocalizedText.english("What happened, in one sentence"));

    /** The methods of a line folder, in browse order. */
    enum Kind {
        RESET_COUNTERS("ResetCounters", "Sets every counter of the line back to zero; the line keeps running"),
        ACTIVATE_MODEL("ActivateModel", "Gates the stored model package name@version and makes it the line's model",
                new Argument("Name", Identifiers.String, ValueRanks.Scalar, null, LocalizedText.english("Package name")),
                new Argument("Version", Identifiers.String, ValueRanks.Scalar, null, LocalizedText.english("Package version"))),
        ROLLBACK_MODEL("RollbackModel", "Returns the line to the model it had before its current one"),
        SHADOW_MODEL("ShadowModel", "Gates the stored package name@version and runs it beside the line's model on the"
                + " same frames, without driving outputs (a shadow trial)",
                new Argument("Name", Identifiers.String, ValueRanks.Scalar, null, LocalizedText.english("Package name")),
                new Argument("Version", Identifiers.String, ValueRanks.Scalar, null, LocalizedText.english("Package version"))),
        STOP_SHADOW("StopShadow", "Stops the line's shadow trial; the line keeps its model"),
        PROMOTE_MODEL("PromoteModel", "Makes the shadow trial's candidate the line's model (an ordinary activation)");

        private final String browseName;
        private final String meaning;
        private final Argument[] inputs;

        Kind(String browseName, String meaning, Argument... inputs) {
            this.browseName = browseName;
            this.meaning = meaning;
            this.inputs = inputs;
        }

        String browseName() {
            return browseName;
        }

        String meaning() {
            return meaning;
        }
    }

    private final Kind kind;
    private final String lineId;
    private final LineCommands commands;
    private final Consumer<String> lastResult;

    /**
     * @param node       the method node this handler serves
     * @param kind       which method
     * @param lineId     the line whose folder holds the method
     * @param commands   what the methods do
     * @param lastResult receives the sentence of every call, success or refusal
     */
    LineMethod(UaMethodNode node, Kind kind, String lineId, LineCommands commands, Consumer<String> lastResult) {
        super(node);
        this.kind = kind;
        this.lineId = lineId;
        this.commands = commands;
        this.lastResult = lastResult;
    }

    @Override
    public Argument[] getInputArguments() {
        return kind.inputs.clone();
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
            boolean ok = values[i].getValue() instanceof String text && !text.isBlank() && text.length() <= MAX_TEXT
                    && text.chars().noneMatch(Character::isISOControl);
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
            // Milo has checked UserExecutable already; this guards against a filter chain changed later.
            throw new UaException(StatusCodes.Bad_UserAccessDenied);
        }
        try {
            String result = switch (kind) {
                case RESET_COUNTERS -> commands.resetCounters(lineId, user);
                case ACTIVATE_MODEL -> commands.activateModel(lineId, text(inputs[0]), text(inputs[1]), user);
                case ROLLBACK_MODEL -> commands.rollbackModel(lineId, user);
                case SHADOW_MODEL -> commands.shadowModel(lineId, text(inputs[0]), text(inputs[1]), user);
                case STOP_SHADOW -> commands.stopShadow(lineId, user);
                case PROMOTE_MODEL -> commands.promoteModel(lineId, user);
            };
            LOG.info("OPC UA: {} on line {} by {}: {}", kind.browseName(), lineId, user.name(), result);
            lastResult.accept(result);
            return new Variant[] {new Variant(result)};
        } catch (CommandRefusedException e) {
            StatusCode status = new StatusCode(e.statusCode());
            LOG.warn("OPC UA: {} on line {} by {} refused ({}): {}", kind.browseName(), lineId, user.name(), status,
                    e.getMessage());
            lastResult.accept("refused: " + e.getMessage());
            throw new UaException(status, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("OPC UA: {} on line {} by {} failed", kind.browseName(), lineId, user.name(), e);
            lastResult.accept("failed: " + e);
            throw new UaException(StatusCodes.Bad_InternalError, e.toString());
        }
    }

    private static String text(Variant value) {
        return ((String) value.getValue()).trim();
    }
}
