package io.linesight.api.watch;

import java.util.List;

/** The drift of every line's active model, for the surfaces that show it. */
@org.osgi.annotation.versioning.ProviderType
public interface DriftWatch {

    /** The latest figures of every line the watch has seen, by line id. */
    List<DriftFigures> figures();
}
