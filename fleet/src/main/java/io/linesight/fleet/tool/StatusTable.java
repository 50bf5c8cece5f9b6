package io.linesight.fleet.tool;

import io.linesight.fleet.manifest.DeploymentManifest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The fleet as a table: one row per node and line, desired against actual, the phase and since when. */
final class StatusTable {

    private StatusTable() {
    }

    /** @param desiredStates the retained desired state of each topic (the latest) */
    static String render(FleetView view, Map<String, String> desiredStates) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> d : desiredStates.entrySet()) {
            String topic = d.getKey();
            String text = d.getValue();
            String what;
            try {
                DeploymentManifest m = FleetTool.peek(text.getBytes(StandardCharsets.UTF_8));
                what = m.deploymentId() + " -> " + m.model().packageId() + " (issued " + m.issuedAt() + ")";
            } catch (Exception e) {
                what = text.isEmpty() ? "(cleared)" : "(not a signed desired state)";
            }
            out.append("desired on ").append(topic).append(": ").append(what).append('\n');
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "LINE", "DESIRED", "ACTUAL", "PHASE", "SINCE", "DETAIL"});
        for (Map.Entry<String, FleetView.Node> n : view.nodes().entrySet()) {
            FleetView.Node node = n.getValue();
            boolean any = false;
            for (Map.Entry<String, FleetView.Device> d : node.devices.entrySet()) {
                Map<String, Object> m = d.getValue().metrics;
                if (d.getKey().isEmpty() || !m.containsKey("Fleet/Phase")) {
                    continue;
                }
                any = true;
                String desired = text(m.get("Fleet/Deployment"));
                String desiredModel = text(m.get("Fleet/Desired Model"));
                String actual = text(m.get("Model/Name")) + "@" + text(m.get("Model/Version"));
                String phase = text(m.get("Fleet/Phase"));
                Object progress = m.get("Fleet/Progress");
                if (progress instanceof Double p && p > 0 && p < 1) {
                    phase += String.format(Locale.ROOT, " %.0f%%", p * 100);
                }
                if (!node.born || !d.getValue().online) {
                    phase += " (offline)";
                }
                rows.add(new String[] {n.getKey(), d.getKey(), desired.isEmpty() ? "-" : desired + " " + desiredModel,
                        actual, phase, since(m.get("Fleet/Since")), text(m.get("Fleet/Detail"))});
            }
            if (!any) {
                rows.add(new String[] {n.getKey(), "-", "-", "-", node.born ? "no line reports" : "offline", "-", ""});
            }
        }
        int[] width = new int[7];
        for (String[] r : rows) {
            for (int i = 0; i < 6; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            for (int i = 0; i < 6; i++) {
                out.append(String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", r[i]));
            }
            out.append(r[6]).append('\n');
        }
        if (rows.size() == 1) {
            out.append("(no edge node of this group answered; check --broker and --group)\n");
        }
        return out.toString();
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String since(Object o) {
        return o instanceof Date d ? Instant.ofEpochMilli(d.getTime()).toString() : "-";
    }
}
