package io.linesight.model.deploy;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.GateReport;
import io.linesight.api.deploy.StoredModel;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Console tables of stored packages and of a line's history; pure formatting. */
final class DeployTables {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    static final String NO_PACKAGE = "No model package is stored. Deploy one with model:deploy <file|url>"
            + " or drop a signed zip into the drop folder.";

    private DeployTables() {
    }

    /** One row per stored package; {@code activeOn} maps {@code name@version} to the lines it is active on. */
    static String stored(List<StoredModel> models, Map<String, List<String>> activeOn) {
        if (models.isEmpty()) {
            return NO_PACKAGE;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MODEL", "SHA256", "SIGNED BY", "STORED", "ACTIVE ON", "GATE"});
        for (StoredModel m : models) {
            rows.add(new String[] {m.id(), m.sha256().substring(0, Math.min(12, m.sha256().length())), m.signedBy(),
                TIME.format(m.storedAt()), String.join(",", activeOn.getOrDefault(m.id(), List.of())),
                gate(m.gate())});
        }
        return render(rows);
    }

    /** The history of a line, oldest first. */
    static String history(String lineId, List<Activation> history) {
        if (history.isEmpty()) {
            return "Line '" + lineId + "' has no activation history: it runs its configured model package.";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SEQ", "TIME", "ACTION", "MODEL", "PREVIOUS", "ACTOR", "REASON", "GATE"});
        for (Activation a : history) {
            rows.add(new String[] {Long.toString(a.sequence()), TIME.format(a.time()), a.action(), a.model(),
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
