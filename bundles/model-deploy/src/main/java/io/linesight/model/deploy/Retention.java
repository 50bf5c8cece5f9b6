package io.linesight.model.deploy;

import io.linesight.api.deploy.ModelState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which stored versions the retention sweep deletes now; a pure choice, the service does the deleting. Two rules:
 * a REFUSED version goes once it was refused longer ago than {@code refusedRetention}; of each model name the
 * newest {@code keepVersionsPerModel} versions by arrival are kept and the older ones that are STORED or RETIRED
 * go. REFUSED versions do not count among the newest: a burst of refused uploads must not push the versions that
 * work out of the repository (they have their own rule). A version with a keep reason (active, shadow, rollback
 * target) never goes; it still counts among the newest.
 */
final class Retention {

    /** A version to delete and why, for the log line. */
    record Due(ModelStates.Entry entry, String why) {
    }

    private final int keepVersionsPerModel;
    private final Duration refusedRetention;

    Retention(int keepVersionsPerModel, Duration refusedRetention) {
        this.keepVersionsPerModel = keepVersionsPerModel;
        this.refusedRetention = refusedRetention;
    }

    List<Due> due(ModelStates states, Instant now) {
        List<Due> due = new ArrayList<>();
        if (!refusedRetention.isZero()) {
            states.entries().stream().filter(e -> refusedBefore(e, now.minus(refusedRetention))).forEach(e ->
                    due.add(new Due(e, "refused " + hoursAgo(e.refusedAt(), now) + " h ago, refusedRetentionHours="
                            + refusedRetention.toHours())));
        }
        if (keepVersionsPerModel > 0) {
            byName(states).values().forEach(versions -> due.addAll(beyondNewest(versions)));
        }
        return due;
    }

    private static boolean refusedBefore(ModelStates.Entry e, Instant cutoff) {
        return e.state() == ModelState.REFUSED && e.keepReason() == null && e.refusedAt().isBefore(cutoff);
    }

    private List<Due> beyondNewest(List<ModelStates.Entry> versions) {
        List<Due> due = new ArrayList<>();
        versions.sort(NEWEST_FIRST);
        for (int i = keepVersionsPerModel; i < versions.size(); i++) {
            ModelStates.Entry e = versions.get(i);
            if (e.keepReason() == null && (e.state() == ModelState.STORED || e.state() == ModelState.RETIRED)) {
                due.add(new Due(e, "older than the newest " + keepVersionsPerModel + " versions of "
                        + e.model().name() + ", keepVersionsPerModel=" + keepVersionsPerModel));
            }
        }
        return due;
    }

    private static Map<String, List<ModelStates.Entry>> byName(ModelStates states) {
        Map<String, List<ModelStates.Entry>> byName = new TreeMap<>();
        states.entries().stream().filter(e -> e.state() != ModelState.REFUSED).forEach(e ->
                byName.computeIfAbsent(e.model().name(), n -> new ArrayList<>()).add(e));
        return byName;
    }

    private static final Comparator<ModelStates.Entry> NEWEST_FIRST = Comparator
            .comparing((ModelStates.Entry e) -> e.model().storedAt())
            .thenComparing(e -> e.model().version(), Versions::compare)
            .reversed();

    private static long hoursAgo(Instant then, Instant now) {
        return Duration.between(then, now).toHours();
    }
}
