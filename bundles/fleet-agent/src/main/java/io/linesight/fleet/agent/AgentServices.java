package io.linesight.fleet.agent;

import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.watch.HealthWindows;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * What {@link FleetAgentCore} needs from the runtime, read afresh at every step so that services may come and go: the
 * component passes its OSGi references, a test passes doubles.
 */
public interface AgentServices {

    /** The one way a package reaches a line; empty while the model deployment is not there. */
    Optional<ModelDeployment> deployment();

    /** The lines running on this box now. */
    List<InspectionLine> lines();

    /** The health windows of the model watch; empty when the box runs none. */
    Optional<HealthWindows> healthWindows();

    /** Time for phases, deadlines and the since of each status. */
    Clock clock();
}
