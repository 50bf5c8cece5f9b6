package io.linesight.camera.sim;

/**
 * Validated, immutable settings of a simulated conveyor. A bad value is refused with a message naming
 * the property, never replaced by a default.
 */
record ConveyorSettings(String sourceId, int widthPx, int heightPx, double partsPerSecond, double defectRate, long seed) {

    static final String PID = "io.linesight.camera.sim";

    ConveyorSettings {
        require(sourceId != null && !sourceId.isBlank(), "source.id must not be empty");
        require(widthPx >= 64 && widthPx <= 4096, "widthPx must be within 64..4096, was " + widthPx);
        require(heightPx >= 48 && heightPx <= 4096, "heightPx must be within 48..4096, was " + heightPx);
        require(partsPerSecond >= 0.1 && partsPerSecond <= 200, "partsPerSecond must be within 0.1..200, was " + partsPerSecond);
        require(defectRate >= 0 && defectRate <= 1, "defectRate must be within 0..1, was " + defectRate);
    }

    static ConveyorSettings from(ConveyorConfig config) {
        return new ConveyorSettings(config.source_id(), config.widthPx(), config.heightPx(),
                config.partsPerSecond(), config.defectRate(), config.seed());
    }

    long framePeriodNanos() {
        return Math.round(1e9 / partsPerSecond);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("Invalid configuration " + PID + ": " + message);
        }
    }
}
