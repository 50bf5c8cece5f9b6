package io.linesight.sparkplug;

import io.linesight.api.event.Alarm;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.output.OutputStatus;
import io.linesight.api.watch.DriftFigures;
import java.util.List;
import java.util.Optional;

/**
 * What the node reads of the runtime on its own thread, at each data interval: snapshots only, each call cheap and
 * never blocking on a line's inference thread. The OSGi component answers from the services it is bound to.
 */
interface Surroundings {

    /** Every line of the runtime now. */
    List<LineStatus> lines();

    /** The running or last shadow trial of a line. */
    Optional<ShadowFigures> shadow(String lineId);

    /** Drift figures of the lines that have them. */
    List<DriftFigures> drift();

    /** Listed alarms (active or not yet acknowledged). */
    List<Alarm> alarms();

    /** Every monitored output now. */
    List<OutputStatus> outputs();

    /** Each line's progress with its desired deployment; empty without a fleet agent. */
    default List<io.linesight.api.fleet.DeploymentStatus> deployments() {
        return List.of();
    }

    /** The fleet agent's last refusal of a desired state, or empty. */
    default String fleetRefusal() {
        return "";
    }

    /**
     * A desired state arrived on the node's connection.
     *
     * @return false when no fleet agent runs to take it
     */
    default boolean desiredState(byte[] envelope, String topic) {
        return false;
    }

    /** Raises or clears an alarm of the node's own (upstream lost, data dropped) on the runtime's event board. */
    void publish(io.linesight.api.event.RuntimeEvent event);
}
