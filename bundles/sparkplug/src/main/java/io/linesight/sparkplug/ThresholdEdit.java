package io.linesight.sparkplug;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.framework.InvalidSyntaxException;

/**
 * The Set Thresholds command: {@code reject.minConfidence=0.7, review.minConfidence=0.4} (either or both) written into
 * the line's own configuration file, the way an operator edits it. The file watcher applies it within a second and
 * the line checks it as any edit (a value it cannot use is refused with CONFIG_REFUSED and the line keeps its
 * thresholds); and the change survives a restart, which a change made only in Config Admin would not (the runtime
 * never writes Config Admin changes back to files).
 */
final class ThresholdEdit {

    static final String REJECT = "reject.minConfidence";
    static final String REVIEW = "review.minConfidence";

    private ThresholdEdit() {
    }

    /** @return what was changed, one sentence */
    static String apply(ConfigurationAdmin configAdmin, String lineId, String command) {
        Map<String, Double> wanted = parse(command);
        Configuration config = lineConfiguration(configAdmin, lineId);
        Object fileName = config.getProperties().get("felix.fileinstall.filename");
        if (fileName == null) {
            throw new IllegalStateException("line " + lineId + " has no configuration file (it was configured from"
                    + " the shell); set its thresholds there");
        }
        double reject = wanted.getOrDefault(REJECT, number(config.getProperties().get(REJECT), 0.65));
        double review = wanted.getOrDefault(REVIEW, number(config.getProperties().get(REVIEW), 0.35));
        if (!(0 <= review && review <= reject && reject <= 1)) {
            throw new IllegalArgumentException("need 0 <= review.minConfidence <= reject.minConfidence <= 1, would be"
                    + " review=" + review + ", reject=" + reject);
        }
        Path file = Path.of(URI.create(fileName.toString()));
        try {
            rewrite(file, wanted);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage());
        }
        return "line " + lineId + ": " + wanted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .reduce((a, b) -> a + ", " + b).orElse("") + " written to " + file.getFileName()
                + "; the line applies it within a second";
    }

    static Map<String, Double> parse(String command) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String part : command.split("[,;]")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            String key = eq < 0 ? item : item.substring(0, eq).trim();
            if (eq < 0 || (!key.equals(REJECT) && !key.equals(REVIEW))) {
                throw new IllegalArgumentException("'" + item + "' is not " + REJECT + "=<0..1> or " + REVIEW
                        + "=<0..1>");
            }
            double value;
            try {
                value = Double.parseDouble(item.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + item + "': not a number");
            }
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("'" + item + "': must be between 0 and 1");
            }
            out.put(key, value);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no threshold given; write " + REJECT + "=0.7, " + REVIEW + "=0.4");
        }
        return out;
    }

    private static Configuration lineConfiguration(ConfigurationAdmin configAdmin, String lineId) {
        Configuration[] found;
        try {
            found = configAdmin.listConfigurations("(&(service.factoryPid=io.linesight.line)(line.id=" + lineId + "))");
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("cannot read the configuration of line " + lineId + ": " + e.getMessage());
        }
        if (found == null || found.length != 1) {
            throw new IllegalStateException("line " + lineId + " has " + (found == null ? "no" : found.length)
                    + " configurations; expected one");
        }
        return found[0];
    }

    private static double number(Object value, double otherwise) {
        if (value == null) {
            return otherwise;
        }
        try {
            return Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** Replaces the keys' lines (or appends them), keeping every other line and comment; atomic. */
    static void rewrite(Path file, Map<String, Double> values) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        Map<String, Double> left = new LinkedHashMap<>(values);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            for (Map.Entry<String, Double> e : values.entrySet()) {
                if (line.startsWith(e.getKey()) && line.substring(e.getKey().length()).trim().startsWith("=")) {
                    lines.set(i, e.getKey() + "=" + format(e.getValue()));
                    left.remove(e.getKey());
                }
            }
        }
        left.forEach((k, v) -> lines.add(k + "=" + format(v)));
        Path temp = file.resolveSibling("." + file.getFileName() + ".sparkplug");
        Files.write(temp, lines, StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }
}
