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

    /** The one INFO line that ends startup, for operators and for the integration test to parse. */
    public String summary(long elapsedMillis) {
        String failedList = failed.isEmpty() ? ""
                : failed.stream().map(Failure::bundle).collect(Collectors.joining(", ", " (", ")"));
        return String.format(Locale.ROOT, "LineSight started: %d bundles active, %d failed%s, %d fragments, in %.1f s",
                active.size(), failed.size(), failedList, fragments.size(), elapsedMillis / 1000.0);
    }
}
