package io.linesight.model.deploy;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.GateReport;
import io.linesight.api.deploy.ModelState;
import io.linesight.api.deploy.StoredModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state of every stored version at one moment, computed from the repository's list and the history of every
 * line (lines not running now included, so a stopped line's model is still ACTIVE and kept). ACTIVE: the top of a
 * line's replayed {@link ActivationStack}. SHADOW: named by the shadow trials. REFUSED: its last activation attempt
 * was refused and it never ran afterwards, or it never ran and its last gate failed. RETIRED: it ran on a line
 * once (activated, rolled back to, or the model an activation replaced) and is not active now. STORED: otherwise.
 * Immutable; compute a new one after a change.
 */
final class ModelStates {

    /**
     * One version with its state.
     *
     * @param model      the stored package with state and detail
     * @param refusedAt  for REFUSED: when (the last refusal, or its arrival when only its gate file says so)
     * @param keepReason why it must not be removed now ("it is active on line 'A'; ..."), or null
     */
    record Entry(StoredModel model, Instant refusedAt, String keepReason) {
        String id() {
            return model.id();
        }

        ModelState state() {
            return model.state();
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, ActivationStack> stacks = new TreeMap<>();

    private ModelStates() {
    }

    /**
     * @param stored    the repository's list
     * @param histories every line's history, by line id
     * @param shadows   versions in a shadow trial now, with the lines they shadow
     */
    static ModelStates compute(List<StoredModel> stored, Map<String, List<Activation>> histories,
            Map<String, List<String>> shadows) {
        ModelStates states = new ModelStates();
        histories.forEach((line, history) -> states.stacks.put(line, ActivationStack.replay(history)));
        Timeline timeline = Timeline.of(histories);
        for (StoredModel m : stored) {
            states.entries.put(m.id(), states.entry(m, timeline, shadows.getOrDefault(m.id(), List.of())));
        }
        return states;
    }

    /** Every stored version with its state, in the repository's order. */
    List<StoredModel> models() {
        return entries.values().stream().map(Entry::model).toList();
    }

    List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    Optional<Entry> entry(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    /** True when {@code id} is in the replayed stack of line {@code lineId} (active or somewhere to roll back to). */
    boolean inStackOf(String lineId, String id) {
        ActivationStack stack = stacks.get(lineId);
        return stack != null && stack.contains(id);
    }

    private Entry entry(StoredModel m, Timeline timeline, List<String> shadowLines) {
        List<String> activeOn = linesWhere(m.id(), true);
        List<String> targetOf = linesWhere(m.id(), false);
        String keep = keepReason(activeOn, shadowLines, targetOf);
        if (!activeOn.isEmpty()) {
            return new Entry(m.withState(ModelState.ACTIVE, String.join(", ", activeOn)), null, keep);
        }
        if (!shadowLines.isEmpty()) {
            return new Entry(m.withState(ModelState.SHADOW, String.join(", ", shadowLines)), null, keep);
        }
        Optional<Activation> refusal = timeline.refusalAfterLastRun(m.id());
        if (refusal.isPresent()) {
            return new Entry(m.withState(ModelState.REFUSED, refusalReason(refusal.get().gate())),
                    refusal.get().time(), keep);
        }
        String targetDetail = targetOf.isEmpty() ? null : "rollback target of " + String.join(", ", targetOf);
        if (timeline.ran(m.id())) {
            return new Entry(m.withState(ModelState.RETIRED, targetDetail), null, keep);
        }
        if (m.gate() != null && !m.gate().passed()) {
            return new Entry(m.withState(ModelState.REFUSED, refusalReason(m.gate())), m.storedAt(), keep);
        }
        return new Entry(m.withState(ModelState.STORED, targetDetail), null, keep);
    }

    private List<String> linesWhere(String id, boolean active) {
        List<String> lines = new ArrayList<>();
        stacks.forEach((line, stack) -> {
            if ((active ? stack.active() : stack.rollbackTarget()).filter(id::equals).isPresent()) {
                lines.add(line);
            }
        });
        return lines;
    }

    /** The sentence a refused removal gives: what holds the version and what to do. */
    private static String keepReason(List<String> activeOn, List<String> shadowLines,
            List<String> targetOf) {
        if (!activeOn.isEmpty()) {
            return "it is active on line " + quoted(activeOn) + "; activate another version there first";
        }
        if (!shadowLines.isEmpty()) {
            return "it runs in a shadow trial on line " + quoted(shadowLines) + "; end the trial first";
        }
        if (!targetOf.isEmpty()) {
            return "it is the rollback target of line " + quoted(targetOf)
                    + "; activate another version there first, so that a rollback no longer needs it";
        }
        return null;
    }

    private static String refusalReason(GateReport gate) {
        return gate == null || gate.detail() == null ? "refused" : gate.detail();
    }

    private static String quoted(List<String> lines) {
        return "'" + String.join("', '", lines) + "'";
    }

    /** When each version last ran on any line and when it was last refused, over all histories. */
    private static final class Timeline {
        private final Map<String, Instant> lastRun = new HashMap<>();
        private final Map<String, Activation> lastRefusal = new HashMap<>();

        static Timeline of(Map<String, List<Activation>> histories) {
            Timeline t = new Timeline();
            histories.values().forEach(history -> history.forEach(t::add));
            return t;
        }

        private void add(Activation a) {
            if (ActivationStack.SHADOW.equals(a.action())) {
                return; // a trial beside the active model: neither model started or stopped running on the line
            }
            if (a.previous() != null) {
                lastRun.merge(a.previous(), a.time(), Timeline::later); // it ran until this entry
            }
            if (ActivationStack.REFUSED.equals(a.action())) {
                lastRefusal.merge(a.model(), a, (x, y) -> y.time().isBefore(x.time()) ? x : y);
            } else {
                lastRun.merge(a.model(), a.time(), Timeline::later);
            }
        }

        boolean ran(String id) {
            return lastRun.containsKey(id);
        }

        /** The last refusal of {@code id} when nothing ran it since. */
        Optional<Activation> refusalAfterLastRun(String id) {
            Activation refusal = lastRefusal.get(id);
            Instant run = lastRun.get(id);
            return refusal != null && (run == null || refusal.time().isAfter(run)) ? Optional.of(refusal)
                    : Optional.empty();
        }

        private static Instant later(Instant a, Instant b) {
            return a.isAfter(b) ? a : b;
        }
    }
}
