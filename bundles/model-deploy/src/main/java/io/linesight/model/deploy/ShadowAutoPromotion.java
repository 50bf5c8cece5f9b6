package io.linesight.model.deploy;

import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.ShadowFigures;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotes a shadow trial's candidate once its line's promotion rule holds and the line's file says
 * {@code shadow.autoPromote=true}. The deployment's timer runs {@link #check} every second. A promotion that is refused
 * (the key left the trust list, the package is gone) is recorded by the activation and not tried again for that trial:
 * the trial keeps running and {@code model:promote} can still do it by hand.
 */
final class ShadowAutoPromotion {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowAutoPromotion.class);
    static final String ACTOR = "shadow-rule";
    static final long PERIOD_MS = 1000;

    private final Supplier<? extends Iterable<InspectionLine>> lines;
    private final ModelDeployment deployment;
    /** Trials whose promotion was refused once: line, candidate and start. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    ShadowAutoPromotion(Supplier<? extends Iterable<InspectionLine>> lines, ModelDeployment deployment) {
        this.lines = lines;
        this.deployment = deployment;
    }

    /** Timer thread: promotes every ready trial whose line allows it. */
    void check() {
        for (InspectionLine line : lines.get()) {
            line.shadow().filter(f -> f.state() == ShadowFigures.State.READY_TO_PROMOTE && f.autoPromote())
                    .ifPresent(f -> promote(line.id(), f));
        }
    }

    private void promote(String lineId, ShadowFigures figures) {
        String trial = lineId + "/" + figures.candidate().displayName() + "/" + figures.startedAt();
        if (refused.contains(trial)) {
            return;
        }
        try {
            deployment.promote(lineId, ACTOR);
        } catch (DeploymentException e) {
            refused.add(trial);
            LOG.warn("Line '{}': the shadow rule holds but promoting {} was refused: {}. The trial keeps running;"
                    + " fix the cause and use model:promote {}", lineId, figures.candidate().displayName(),
                    e.getMessage(), lineId);
        }
    }
}
