package io.linesight.console;

import org.apache.felix.service.command.CommandProcessor;
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

    private final BundleUpgrade upgrade;

    @Activate
    public BundleCommands(BundleContext context, @Reference ConfigurationAdmin configAdmin) {
        this.upgrade = new BundleUpgrade(context, configAdmin);
    }

    public String upgrade(String location) {
        BundleUpgrade.Report report = upgrade.upgrade(location);
        return String.join("\n", report.steps()) + "\n" + (report.done() ? "UPGRADED" : "NOT UPGRADED");
    }
}
