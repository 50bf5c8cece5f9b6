package io.linesight.console;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code bundle:upgrade <jar path or URL>}: a new version of a camera, runner or output bundle goes live
 * while the lines keep running (see {@link BundleUpgrade} for how). Prints each step; the last line says
 * whether the upgrade is done.
 */
@Component(service = Object.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=bundle",
    CommandProcessor.COMMAND_FUNCTION + "=upgrade"})
public class BundleCommands {

    static final String UPGRADE_USAGE = "bundle:upgrade <jar path or URL>,"
            + " e.g. bundle:upgrade /opt/linesight/incoming/linesight-model-onnx-0.1.1.jar";

    private final BundleUpgrade upgrade;

    @Activate
    public BundleCommands(BundleContext context, @Reference ConfigurationAdmin configAdmin) {
        this.upgrade = new BundleUpgrade(context, configAdmin);
    }

    @Descriptor("install a newer version of a camera, runner or output bundle while the lines keep running;"
            + " prints each step, the last line says UPGRADED or NOT UPGRADED. Usage: " + UPGRADE_USAGE)
    public String upgrade(@Descriptor("jar path or URL, of the new bundle's jar (a path is relative to the runtime's folder)")
                          String location) {
        String missing = missingFile(location);
        if (missing != null) {
            return missing;
        }
        BundleUpgrade.Report report = upgrade.upgrade(location);
        return String.join("\n", report.steps()) + "\n" + (report.done() ? "UPGRADED" : "NOT UPGRADED");
    }

    /** Missing or extra arguments: the usage (see {@link Usage}). */
    public String _main(Object... nameAndArguments) {
        return Usage.wrongArguments(nameAndArguments, Map.of("upgrade", UPGRADE_USAGE));
    }

    /** A path that names no file, in one sentence; null for a file or a URL (the upgrade reports those). */
    static String missingFile(String location) {
        if (location.matches("^[a-z][a-z0-9+.-]*:.*")) {
            return null;
        }
        try {
            Path path = Path.of(location).toAbsolutePath();
            return Files.isRegularFile(path) ? null : "No file " + path + ": give the path of the new bundle's jar,"
                    + " e.g. bundle:upgrade /opt/linesight/incoming/linesight-model-onnx-0.1.1.jar; nothing was changed.";
        } catch (InvalidPathException e) {
            return "'" + location + "' is not a file path (" + e.getReason() + "): give the path of the new bundle's jar"
                    + " or its URL; nothing was changed.";
        }
    }
}
