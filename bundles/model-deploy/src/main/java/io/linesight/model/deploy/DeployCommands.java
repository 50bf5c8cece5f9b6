package io.linesight.model.deploy;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.deploy.StoredModel;
import io.linesight.api.inspection.InspectionLine;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Gogo commands of model deployment (scope {@code model}): {@code deploy}, {@code list}, {@code activate},
 * {@code rollback}, {@code history}, {@code remove}, and for shadow trials {@code shadow}, {@code unshadow},
 * {@code promote}. Each returns text for the operator; a refusal is one line that starts
 * with {@code Refused (<reason>):} and says what to do. The actor recorded is {@code console}.
 */
@Component(service = Object.class, configurationPid = DeploySettings.PID, property = {
    CommandProcessor.COMMAND_SCOPE + "=model",
    CommandProcessor.COMMAND_FUNCTION + "=deploy",
    CommandProcessor.COMMAND_FUNCTION + "=list",
    CommandProcessor.COMMAND_FUNCTION + "=activate",
    CommandProcessor.COMMAND_FUNCTION + "=rollback",
    CommandProcessor.COMMAND_FUNCTION + "=history",
    CommandProcessor.COMMAND_FUNCTION + "=remove",
    CommandProcessor.COMMAND_FUNCTION + "=shadow",
    CommandProcessor.COMMAND_FUNCTION + "=unshadow",
    CommandProcessor.COMMAND_FUNCTION + "=promote"})
public final class DeployCommands {

    static final String ACTOR = "console";

    static final String DEPLOY_USAGE = "model:deploy <zip, folder or URL>,"
            + " e.g. model:deploy /tmp/defect-mobilenetv2-0.2.1.zip";
    static final String LIST_USAGE = "model:list, without arguments";
    static final String ACTIVATE_USAGE = "model:activate <line> <name@version> [\"reason\"],"
            + " e.g. model:activate default defect-mobilenetv2@0.2.1 \"new lighting\"";
    static final String ROLLBACK_USAGE = "model:rollback <line> [\"reason\"], e.g. model:rollback default \"false rejects\"";
    static final String HISTORY_USAGE = "model:history <line>, e.g. model:history default";
    static final String REMOVE_USAGE = "model:remove <name@version>, e.g. model:remove defect-mobilenetv2@0.2.0";
    static final String SHADOW_USAGE = "model:shadow <line> [<name@version>]: with a model, starts its shadow trial;"
            + " without, shows the trial's figures, e.g. model:shadow default defect-mobilenetv2@0.3.0";
    static final String UNSHADOW_USAGE = "model:unshadow <line>, e.g. model:unshadow default";
    static final String PROMOTE_USAGE = "model:promote <line>: makes the shadow candidate the active model,"
            + " e.g. model:promote default";

    private final ModelDeployment deployment;
    private final PackageSource source;
    private final Set<InspectionLine> lines = new CopyOnWriteArraySet<>();

    @Activate
    public DeployCommands(DeployConfig config, @Reference ModelDeployment deployment) {
        this(deployment, DeploySettings.from(config, System::getProperty));
    }

    DeployCommands(ModelDeployment deployment, DeploySettings settings) {
        this.deployment = deployment;
        this.source = new PackageSource(settings.home(), settings.maxPackageBytes(), settings.downloadTimeout());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindLine(InspectionLine line) {
        lines.add(line);
    }

    void unbindLine(InspectionLine line) {
        lines.remove(line);
    }

    @Descriptor("verify and store a model package (zip or folder, a path or an http/https/file URL); does not activate"
            + " it. Usage: " + DEPLOY_USAGE)
    public String deploy(@Descriptor("package zip/folder path, or URL") String from) {
        Path path = null;
        try {
            path = source.fetch(from);
            StoredModel stored = deployment.deploy(path, ACTOR);
            return "Stored " + stored.id() + " (signed by " + stored.signedBy() + ", model sha256 "
                    + stored.sha256().substring(0, 12) + "...). Activate it with: model:activate <line> " + stored.id();
        } catch (DeploymentException e) {
            return refused(e);
        } finally {
            if (path != null && PackageSource.isTemporary(from)) {
                PackageSource.deleteQuietly(path);
            }
        }
    }

    @Descriptor("list the stored model packages with their state (stored, refused and why, shadow, active on which"
            + " lines, retired) and gate results. Usage: " + LIST_USAGE)
    public String list() {
        return DeployTables.stored(deployment.stored());
    }

    @Descriptor("delete a stored model package; refused while it is active, in a shadow trial or a line's rollback"
            + " target. The history keeps its entries. Usage: " + REMOVE_USAGE)
    public String remove(@Descriptor("name@version") String model) {
        int at = model.lastIndexOf('@');
        if (at <= 0 || at == model.length() - 1) {
            return "Usage: " + REMOVE_USAGE + " ('" + model + "' is not name@version; see model:list).";
        }
        try {
            StoredModel removed = deployment.remove(model.substring(0, at), model.substring(at + 1), ACTOR);
            return "Removed " + removed.id() + " (it was " + DeployTables.state(removed)
                    + "). Its history entries stay; model:history marks it (removed).";
        } catch (DeploymentException e) {
            return refused(e);
        }
    }

    @Descriptor("gate a stored package and make it the model of a line. Usage: " + ACTIVATE_USAGE)
    public String activate(@Descriptor("line id") String line, @Descriptor("name@version") String model) {
        return activate(line, model, null);
    }

    @Descriptor("gate a stored package and make it the model of a line, recording why. Usage: " + ACTIVATE_USAGE)
    public String activate(@Descriptor("line id") String line, @Descriptor("name@version") String model,
            @Descriptor("reason (quote it)") String reason) {
        int at = model.lastIndexOf('@');
        if (at <= 0 || at == model.length() - 1) {
            return "Refused: '" + model + "' is not name@version (see model:list)";
        }
        try {
            return activated(deployment.activate(line, model.substring(0, at), model.substring(at + 1), ACTOR, reason));
        } catch (DeploymentException e) {
            return refused(e);
        }
    }

    @Descriptor("return a line to the model it had before the current one. Usage: " + ROLLBACK_USAGE)
    public String rollback(@Descriptor("line id") String line) {
        return rollback(line, null);
    }

    @Descriptor("return a line to the model it had before the current one, recording why. Usage: " + ROLLBACK_USAGE)
    public String rollback(@Descriptor("line id") String line, @Descriptor("reason (quote it)") String reason) {
        try {
            return activated(deployment.rollback(line, ACTOR, reason));
        } catch (DeploymentException e) {
            return refused(e);
        }
    }

    @Descriptor("the activation history of a line: activations, rollbacks and refusals, oldest first. Usage: "
            + HISTORY_USAGE)
    public String history(@Descriptor("line id") String line) {
        List<String> known = lines.stream().map(InspectionLine::id).sorted().toList();
        if (!known.contains(line) && deployment.history(line).isEmpty()) {
            return "No line '" + line + "': lines are " + (known.isEmpty() ? "none (no line is configured)" : known)
                    + "; try model:history " + (known.isEmpty() ? "<line id>" : known.get(0));
        }
        Set<String> stored = deployment.stored().stream().map(StoredModel::id).collect(Collectors.toSet());
        return DeployTables.history(line, deployment.history(line), stored);
    }

    @Descriptor("gate a stored package and run it in a shadow trial on a line: same frames as the active model, off the"
            + " hot path, never driving outputs. Usage: " + SHADOW_USAGE)
    public String shadow(@Descriptor("line id") String line, @Descriptor("name@version") String model) {
        int at = model.lastIndexOf('@');
        if (at <= 0 || at == model.length() - 1) {
            return "Refused: '" + model + "' is not name@version (see model:list)";
        }
        try {
            Activation a = deployment.shadow(line, model.substring(0, at), model.substring(at + 1), ACTOR);
            return "Line '" + a.lineId() + "' runs " + a.model() + " in shadow beside " + a.previous() + " (#"
                    + a.sequence() + "). Gate: " + a.gate().detail() + ". Figures: model:shadow " + a.lineId();
        } catch (DeploymentException e) {
            return refused(e);
        }
    }

    @Descriptor("the figures of a line's shadow trial (running or last): agreement, confusion matrix, confidence,"
            + " latency, rule. Usage: " + SHADOW_USAGE)
    public String shadow(@Descriptor("line id") String line) {
        Optional<InspectionLine> found = lines.stream().filter(l -> l.id().equals(line)).findFirst();
        if (found.isEmpty()) {
            return "No line '" + line + "': lines are " + lines.stream().map(InspectionLine::id).sorted().toList();
        }
        return found.get().shadow().map(ShadowTable::figures).orElse("Line '" + line + "' has run no shadow trial;"
                + " start one with model:shadow " + line + " <name@version>");
    }

    @Descriptor("stop a line's shadow trial; its figures stay readable. Usage: " + UNSHADOW_USAGE)
    public String unshadow(@Descriptor("line id") String line) {
        try {
            return "Stopped. " + ShadowTable.figures(deployment.stopShadow(line, ACTOR));
        } catch (DeploymentException e) {
            return refused(e);
        }
    }

    @Descriptor("make a line's shadow candidate its active model (an ordinary activation; model:rollback undoes it)."
            + " Usage: " + PROMOTE_USAGE)
    public String promote(@Descriptor("line id") String line) {
        try {
            return activated(deployment.promote(line, ACTOR));
        } catch (DeploymentException e) {
            return refused(e);
        }
    }

    /**
     * Gogo calls this when no form of a command fits the typed arguments (one missing, one too many, a reason with
     * spaces not quoted), instead of printing "Cannot coerce activate(Token) to any of ...": as a varargs method it
     * matches every function and scores worse than any form that fits. The answer is the usage, in one sentence.
     */
    public String _main(Object... nameAndArguments) {
        String function = nameAndArguments.length == 0 ? "" : String.valueOf(nameAndArguments[0]);
        String usage = switch (function) {
            case "deploy" -> DEPLOY_USAGE;
            case "list" -> LIST_USAGE;
            case "activate" -> ACTIVATE_USAGE;
            case "rollback" -> ROLLBACK_USAGE;
            case "history" -> HISTORY_USAGE;
            case "remove" -> REMOVE_USAGE;
            case "shadow" -> SHADOW_USAGE;
            case "unshadow" -> UNSHADOW_USAGE;
            case "promote" -> PROMOTE_USAGE;
            default -> "linesight (lists LineSight's commands)";
        };
        int given = nameAndArguments.length - 1;
        return "Usage: " + usage + " (" + (given == 0 ? "no argument" : given + " argument" + (given == 1 ? "" : "s"))
                + " given).";
    }

    private static String activated(Activation a) {
        return "Line '" + a.lineId() + "' now runs " + a.model() + " (" + a.action() + " #" + a.sequence()
                + ", before: " + (a.previous() == null ? "no model" : a.previous()) + "). Gate: " + a.gate().detail();
    }

    private static String refused(DeploymentException e) {
        return "Refused (" + e.reason() + "): " + e.getMessage();
    }
}
