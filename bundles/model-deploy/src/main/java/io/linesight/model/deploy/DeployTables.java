package io.linesight.model.deploy;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.GateReport;
import io.linesight.api.deploy.ModelState;
import io.linesight.api.deploy.StoredModel;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Console tables of stored packages and of a line's history; pure formatting. */
final class DeployTables {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    static final String NO_PACKAGE = "No model package is stored. Deploy one with model:deploy <file|url>"
            + " or drop a signed zip into the drop folder.";

    private DeployTables() {
    }

    /** One row per stored package with its state; a refused one shows why instead of its gate summary. */
    static String stored(List<StoredModel> models) {
        if (models.isEmpty()) {
            return NO_PACKAGE;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MODEL", "STATE", "SHA256", "SIGNED BY", "STORED", "GATE / REFUSAL"});
        for (StoredModel m : models) {
            rows.add(new String[] {m.id(), state(m), m.sha256().substring(0, Math.min(12, m.sha256().length())),
                m.signedBy(), TIME.format(m.storedAt()), gateOrRefusal(m)});
        }
        return render(rows);
    }

    /** {@code active on line-1, line-2}, {@code retired, rollback target of line-1}, {@code stored}, ... */
    static String state(StoredModel m) {
        String state = m.state().name().toLowerCase(Locale.ROOT);
        if (m.stateDetail() == null || m.state() == ModelState.REFUSED) {
            return state;
        }
        return state + (m.state() == ModelState.ACTIVE || m.state() == ModelState.SHADOW ? " on " : ", ")
                + m.stateDetail();
    }

    private static String gateOrRefusal(StoredModel m) {
        return m.state() == ModelState.REFUSED ? "REFUSED " + dash(m.stateDetail()) : gate(m.gate());
    }

    /**
     * The history of a line, oldest first. A model that is no longer in {@code storedIds} is marked
     * {@code (removed)}: every entry's model was in the repository when the entry was written (activations,
     * rollbacks and refusals all start from a stored package), so not being there now means it was removed.
     */
    static String history(String lineId, List<Activation> history, Set<String> storedIds) {
        if (history.isEmpty()) {
            return "Line '" + lineId + "' has no activation history: it runs its configured model package.";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SEQ", "TIME", "ACTION", "MODEL", "PREVIOUS", "ACTOR", "REASON", "GATE"});
        for (Activation a : history) {
            String model = storedIds.contains(a.model()) ? a.model() : a.model() + " (removed)";
            rows.add(new String[] {Long.toString(a.sequence()), TIME.format(a.time()), a.action(), model,
                dash(a.previous()), dash(a.actor()), dash(a.reason()), gate(a.gate())});
        }
        return render(rows);
    }

    /** {@code pass accuracy 100.0% 2.31 ms} or {@code FAIL <what failed>}. */
    static String gate(GateReport gate) {
        if (gate == null) {
            return "not gated";
        }
        if (!gate.passed() || gate.images() == 0) {
            return (gate.passed() ? "pass " : "FAIL ") + gate.detail();
        }
        return String.format(Locale.ROOT, "pass %s %.1f%% %.2f ms (%d images)", gate.metric(), 100 * gate.value(),
                gate.latencyMs(), gate.images());
    }

    private static String dash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    /** Left-aligned columns two spaces apart; the last column is not padded. */
    static String render(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns - 1; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(c < columns - 1 ? String.format("%-" + width[c] + "s  ", row[c]) : row[c]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString().stripTrailing();
    }
}
