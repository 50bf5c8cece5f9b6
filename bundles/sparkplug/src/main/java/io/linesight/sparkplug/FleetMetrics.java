package io.linesight.sparkplug;

import io.linesight.api.fleet.DeploymentPhase;
import io.linesight.api.fleet.DeploymentStatus;
import java.util.Date;
import org.eclipse.tahu.message.model.MetricDataType;

/**
 * Fleet delivery as metrics, so the broker carries desired against actual for every line: {@code Fleet/Deployment}
 * (the desired deployment's id), {@code Fleet/Desired Model} ({@code name@version}; the actual one is
 * {@code Model/Version}), {@code Fleet/Phase}, {@code Fleet/Progress} (0..1), {@code Fleet/Detail},
 * {@code Fleet/Since}; on the node {@code Fleet/Last Refusal}.
 */
final class FleetMetrics {

    static final String LAST_REFUSAL = "Fleet/Last Refusal";

    private FleetMetrics() {
    }

    static void defineForLine(DeviceMetrics d) {
        d.define("Fleet/Deployment", MetricDataType.String, "")
                .define("Fleet/Desired Model", MetricDataType.String, "")
                .define("Fleet/Phase", MetricDataType.String, DeploymentPhase.NONE.name())
                .define("Fleet/Progress", MetricDataType.Double, 0.0)
                .define("Fleet/Detail", MetricDataType.String, "")
                .define("Fleet/Since", MetricDataType.DateTime, null);
    }

    static void update(DeviceMetrics d, DeploymentStatus s) {
        d.set("Fleet/Deployment", s.deploymentId());
        d.set("Fleet/Desired Model", s.desiredModel());
        d.set("Fleet/Phase", s.phase().name());
        d.set("Fleet/Progress", LineDevice.round(s.progress()));
        d.set("Fleet/Detail", s.detail());
        d.set("Fleet/Since", new Date(s.since().toEpochMilli()));
    }
}
