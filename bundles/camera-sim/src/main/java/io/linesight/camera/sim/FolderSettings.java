package io.linesight.camera.sim;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Validated, immutable settings of an image-folder camera. A bad value is refused with a message naming
 * the property, never replaced by a default. The folder itself is looked at when a line subscribes:
 * a missing or empty folder is a lost camera, not a configuration error, so it can be filled later.
 */
record FolderSettings(String sourceId, Path folder, double framesPerSecond, boolean loop) {

    static final String PID = "io.linesight.camera.folder";

    FolderSettings {
        require(sourceId != null && !sourceId.isBlank(), "source.id must not be empty");
        require(folder != null, "folder must not be empty");
        require(framesPerSecond >= 0.1 && framesPerSecond <= 200, "framesPerSecond must be within 0.1..200, was " + framesPerSecond);
    }

    static FolderSettings from(FolderConfig config) {
        return new FolderSettings(config.source_id(), path(config.folder()), config.framesPerSecond(), config.loop());
    }

    long framePeriodNanos() {
        return Math.round(1e9 / framesPerSecond);
    }

    private static Path path(String folder) {
        if (folder == null || folder.isBlank()) {
            return null;
        }
        try {
            return Path.of(folder.trim());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("Invalid configuration " + PID + ": folder '" + folder + "' is not a path: "
                    + e.getMessage(), e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("Invalid configuration " + PID + ": " + message);
        }
    }
}
