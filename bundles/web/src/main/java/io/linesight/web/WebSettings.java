package io.linesight.web;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Validated web settings, one immutable record; a bad value is refused naming the property. A malformed token entry
 * is the exception: it is left out ({@link BearerTokens#malformed()}), so one bad line does not take the dashboard
 * and the other tokens down with it.
 */
record WebSettings(BearerTokens tokens, WebConfig.ReadAccess readAccess, long maxUploadBytes, long maxPackageBytes,
                   List<Path> uploadPackages,
                   int maxStreamClients, int streamQueueUpdates, long streamIntervalMs, long frameIntervalMs,
                   int recentVerdicts, double[] latencyBucketsMs) {

    static final String PID = "io.linesight.web";

    static WebSettings from(WebConfig c, Path home) {
        BearerTokens tokens = BearerTokens.parse(c.tokens(), "Web (" + PID + "): tokens");
        if (c.readAccess() == null) {
            throw invalid("readAccess must be LOOPBACK, ANYWHERE or TOKEN");
        }
        return new WebSettings(tokens, c.readAccess(),
                range("maxUploadMegabytes", c.maxUploadMegabytes(), 1, 64) * 1024L * 1024L,
                range("maxPackageMegabytes", c.maxPackageMegabytes(), 1, 2048) * 1024L * 1024L,
                packages(c.uploadPackages(), home),
                range("maxStreamClients", c.maxStreamClients(), 1, 64),
                range("streamQueueUpdates", c.streamQueueUpdates(), 2, 1024),
                range("streamIntervalMs", c.streamIntervalMs(), 100, 10_000),
                range("frameIntervalMs", c.frameIntervalMs(), 100, 10_000),
                range("recentVerdicts", c.recentVerdicts(), 1, 200),
                buckets(c.latencyBucketsMs()));
    }

    private static int range(String property, int value, int min, int max) {
        if (value < min || value > max) {
            throw invalid(property + " must be within " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    private static List<Path> packages(String[] configured, Path home) {
        List<Path> out = new ArrayList<>();
        for (String p : configured == null ? new String[0] : configured) {
            if (p != null && !p.isBlank()) {
                out.add(home.resolve(p.trim()).normalize());
            }
        }
        return List.copyOf(out);
    }

    private static double[] buckets(double[] configured) {
        if (configured == null || configured.length == 0 || configured.length > 30) {
            throw invalid("latencyBucketsMs must list 1..30 bucket bounds");
        }
        for (int i = 0; i < configured.length; i++) {
            if (!(configured[i] > 0) || Double.isInfinite(configured[i]) || (i > 0 && configured[i] <= configured[i - 1])) {
                throw invalid("latencyBucketsMs must be positive and increasing, entry #" + (i + 1) + " is " + configured[i]);
            }
        }
        return configured.clone();
    }

    private static IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException("Invalid configuration " + PID + ": " + message);
    }

    @Override
    public double[] latencyBucketsMs() {
        return latencyBucketsMs.clone();
    }

    /** One line for the log: everything but the token digests. */
    String describe() {
        return "read access " + readAccess + ", " + tokens.size() + " token(s), uploads up to " + maxUploadBytes / (1024 * 1024)
                + " MB, model pushes up to " + maxPackageBytes / (1024 * 1024) + " MB, upload packages " + uploadPackages
                + ", stream: " + maxStreamClients + " clients, queue " + streamQueueUpdates + ", every " + streamIntervalMs
                + " ms; frames at most every " + frameIntervalMs + " ms; " + recentVerdicts + " recent verdicts per line";
    }
}
