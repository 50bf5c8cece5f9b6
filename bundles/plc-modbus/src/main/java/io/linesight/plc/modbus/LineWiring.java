package io.linesight.plc.modbus;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which lines this output drives. A PLC output is an actuator: pulsing the ejector for the wrong line's part
 * throws a good part out and lets the bad one pass, so its wiring must be explicit.
 *
 * <ul>
 *   <li><b>Named</b> ({@code lines=default} or {@code lines=a,b}): those lines, whatever else runs. A line added
 *       later (say by copying a line's .cfg file) is not served.</li>
 *   <li><b>Unnamed</b> ({@code lines} unset, empty, {@code all} or {@code *}): the runtime's only line. While the
 *       runtime runs two or more lines an unnamed output drives none of them: it cannot tell whose part a
 *       reject is for. That state is {@linkplain #ambiguous() ambiguous}, an alarm until the configuration names
 *       the lines or the extra lines go.</li>
 * </ul>
 *
 * <p>Thread-safe: lines come and go on SCR's threads, verdicts arrive on the lines' threads.
 */
final class LineWiring {

    private final Set<String> named;
    private final Set<String> present = new TreeSet<>();

    /** @param configured the {@code lines} property as configured, entries may hold comma-separated ids */
    LineWiring(Collection<String> configured) {
        this.named = parse(configured);
    }

    /** The line ids a {@code lines} property names; empty for "every line" (unset, empty, {@code all}, {@code *}). */
    static Set<String> parse(Collection<String> configured) {
        Set<String> ids = new LinkedHashSet<>();
        for (String entry : configured) {
            for (String id : entry.split(",")) {
                String trimmed = id.trim();
                if (!trimmed.isEmpty()) {
                    ids.add(trimmed);
                }
            }
        }
        boolean everyLine = ids.stream().anyMatch(id -> id.equals("*") || id.toLowerCase(Locale.ROOT).equals("all"));
        return everyLine ? Set.of() : Set.copyOf(ids);
    }

    boolean named() {
        return !named.isEmpty();
    }

    /**
     * True when this output should pulse and write for the line now. An unnamed output serves a line it has not
     * been told about only while it knows of no line at all (a line's first verdict may overtake its service
     * event); once it knows one, any other is a second line.
     */
    synchronized boolean serves(String lineId) {
        if (named()) {
            return named.contains(lineId);
        }
        return present.isEmpty() || present.size() == 1 && present.contains(lineId);
    }

    /** True when the output is unnamed and the runtime has more than one line, so it drives none. */
    synchronized boolean ambiguous() {
        return !named() && present.size() > 1;
    }

    /**
     * A line appeared.
     *
     * @return the new answer of {@link #ambiguous()} if this changed it
     */
    synchronized Optional<Boolean> lineAdded(String lineId) {
        boolean before = ambiguous();
        present.add(lineId);
        return changed(before);
    }

    /** A line went away; as {@link #lineAdded}. */
    synchronized Optional<Boolean> lineRemoved(String lineId) {
        boolean before = ambiguous();
        present.remove(lineId);
        return changed(before);
    }

    /** The lines now present, sorted, for messages. */
    synchronized java.util.List<String> presentLines() {
        return java.util.List.copyOf(present);
    }

    /** "lines default, golden" or "every line (the runtime's only line)", for the activation log. */
    String describe() {
        return named() ? "lines " + String.join(", ", named) : "every line (only while the runtime has one line)";
    }

    private Optional<Boolean> changed(boolean before) {
        boolean now = ambiguous();
        return before == now ? Optional.empty() : Optional.of(now);
    }
}
