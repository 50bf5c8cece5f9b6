package io.linesight.watch;

import java.util.Locale;

/**
 * The health window's configuration, validated, as one immutable record. A malformed value (NaN, a ratio below 1 that
 * would roll back a model no worse than its predecessor, a minimum out of range) is refused naming the property; "off"
 * is spelled 0 or a negative number, so it is never a typo's silent result.
 */
record HealthSettings(int windowFrames, long windowMs, int baselineFrames, double maxRejectRateRatio,
                      double minRejectRateIncrease, int minFramesForRejectRule, int maxInferenceErrors,
                      double maxLatencyRatio, boolean rollbackOnDrift, long evaluateEveryMs) {

    /** Frames the latency rule needs in the window and in the previous model's figures. */
    static final int MIN_FRAMES_FOR_LATENCY_RULE = 200;
    /** The window's frames kept for its latency p95 when it has no frame limit (a time-only window). */
    static final int TIME_ONLY_WINDOW_FRAMES = 10_000;

    static HealthSettings from(HealthWindowConfig c) {
        return new HealthSettings(c.healthWindowFrames(), c.healthWindowMs(),
                range("baselineFrames", c.baselineFrames(), 50, 100_000),
                ratio("maxRejectRateRatio", c.maxRejectRateRatio()),
                share("minRejectRateIncrease", c.minRejectRateIncrease()),
                range("minFramesForRejectRule", c.minFramesForRejectRule(), 1, 100_000), c.maxInferenceErrors(),
                ratio("maxLatencyRatio", c.maxLatencyRatio()), c.rollbackOnDrift(),
                range("evaluateEveryMs", c.evaluateEveryMs(), 50, 60_000));
    }

    boolean enabled() {
        return windowFrames > 0 || windowMs > 0;
    }

    boolean rejectRuleOn() {
        return maxRejectRateRatio > 0;
    }

    boolean errorRuleOn() {
        return maxInferenceErrors > 0;
    }

    boolean latencyRuleOn() {
        return maxLatencyRatio > 0;
    }

    /** How many of the window's frames are kept: all of them, or a bounded tail for a time-only window. */
    int windowCapacity() {
        return windowFrames > 0 ? windowFrames : TIME_ONLY_WINDOW_FRAMES;
    }

    /** One line for the log. */
    String describe() {
        if (!enabled()) {
            return "off (healthWindowFrames and healthWindowMs are both 0 or less)";
        }
        return String.format(Locale.ROOT, "closes after %s or %s, whichever comes first; rules: reject rate %s,"
                        + " inference errors %s, latency %s, drift %s; previous model's figures from its last %d frames",
                windowFrames > 0 ? windowFrames + " frames" : "no frame limit",
                windowMs > 0 ? windowMs + " ms" : "no time limit",
                rejectRuleOn() ? String.format(Locale.ROOT, "> %.2f x previous and > previous + %.3f after %d frames",
                        maxRejectRateRatio, minRejectRateIncrease, minFramesForRejectRule) : "off",
                errorRuleOn() ? "> " + maxInferenceErrors : "off",
                latencyRuleOn() ? String.format(Locale.ROOT, "p95 > %.2f x previous", maxLatencyRatio) : "off",
                rollbackOnDrift ? "on" : "off", baselineFrames);
    }

    private static int range(String property, int value, int min, int max) {
        if (value < min || value > max) {
            throw invalid(property + " must be within " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    private static long range(String property, long value, long min, long max) {
        if (value < min || value > max) {
            throw invalid(property + " must be within " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    /** A ratio rule: off at 0 or below, else at least 1 (a ratio below 1 would roll back a model that did better). */
    private static double ratio(String property, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value) || (value > 0 && value < 1)) {
            throw invalid(property + " must be 1 or more (0 or less turns the rule off), was " + value);
        }
        return value;
    }

    private static double share(String property, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw invalid(property + " must be within 0..1, was " + value);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException("Invalid configuration " + HealthWindowConfig.PID + ": " + message
                + "; fix config/" + HealthWindowConfig.PID + ".cfg");
    }
}
