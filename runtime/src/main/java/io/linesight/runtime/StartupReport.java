package io.linesight.runtime;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the launcher's install-and-start pass achieved.
 *
 * @param active    bundles that are active (or waiting for lazy activation), as "name version"
 * @param failed    bundles that could not be installed, resolved or started, with the reason
 * @param fragments fragments that resolved (attached to their host); fragments are never started
 */
public record StartupReport(List<String> active, List<Failure> failed, List<String> fragments) {

    /** One bundle that did not make it, and why. */
    public record Failure(String bundle, String reason) {
    }

    /** The one line that ends startup, for operators and for the integration test to parse. */
    public String summary(long elapsedMillis) {
        return summary(elapsedMillis, List.of());
    }

    /**
     * As {@link #summary(long)}, naming the listening ports that could not be opened:
     * {@code ...; 2 FAILED: OPC UA port 4840 in use, HTTP port 8080 in use}.
     */
    public String summary(long elapsedMillis, List<String> endpointFailures) {
        String failedList = failed.isEmpty() ? ""
                : failed.stream().map(Failure::bundle).collect(Collectors.joining(", ", " (", ")"));
        String endpoints = endpointFailures.isEmpty() ? ""
                : "; " + endpointFailures.size() + " FAILED: " + String.join(", ", endpointFailures);
        return String.format(Locale.ROOT, "LineSight started: %d bundles active, %d failed%s, %d fragments, in %.1f s%s",
                active.size(), failed.size(), failedList, fragments.size(), elapsedMillis / 1000.0, endpoints);
    }
}
