package io.linesight.api.watch;

import java.util.List;

/**
 * The health windows of every line, for the surfaces that show them (REST, /metrics). Provided by the model watch;
 * safe to call from any thread, never blocks on a line.
 */
@org.osgi.annotation.versioning.ProviderType
public interface HealthWindows {

    /** The status of every line the health window has seen, by line id. */
    List<HealthWindowStatus> windows();
}
