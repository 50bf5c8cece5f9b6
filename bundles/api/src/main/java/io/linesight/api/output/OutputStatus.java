package io.linesight.api.output;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one output. Immutable.
 *
 * @param outputId      unique within a runtime (the output's configuration name); shown on the console
 *                      and used in OPC UA node ids, so it stays the same across restarts
 * @param kind          what sort of output, for example {@code plc}
 * @param target        what it talks to, for example {@code 192.168.10.20:502}
 * @param lines         ids of the lines it serves; empty means every line
 * @param state         whether the peer is reachable now
 * @param detail        the alarms that stand now, in words (for example why the peer is unreachable, or
 *                      that rejects were missed); empty when all is well
 * @param lastHeartbeat when the peer last acknowledged a sign of life (wall clock), if ever
 * @param counters      named counts since the output was activated, in a stable order; names are
 *                      camelCase identifiers (for example {@code rejectsMissed}), values never negative
 * @param taken         when the snapshot was taken
 */
public record OutputStatus(
        String outputId,
        String kind,
        String target,
        List<String> lines,
        OutputState state,
        String detail,
        Optional<Instant> lastHeartbeat,
        Map<String, Long> counters,
        Instant taken) {

    public OutputStatus {
        Objects.requireNonNull(outputId, "outputId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
        Objects.requireNonNull(taken, "taken");
        lines = List.copyOf(lines);
        detail = detail == null ? "" : detail;
        // a copy that keeps the caller's order (Map.copyOf would not)
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }
}
