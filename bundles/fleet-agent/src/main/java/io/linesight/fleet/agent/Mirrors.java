package io.linesight.fleet.agent;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sources of one package in order of preference, and what became of each: a source that refused for good
 * (404, a different size, a wrong SHA-256) is dropped for this download; one that failed for now (no connection, a
 * timeout, 5xx) is tried again after the others.
 */
final class Mirrors {

    private final List<URI> urls;
    private final String[] rejections;
    private final boolean[] failedThisRound;
    private boolean checksumRejected;
    private int current;

    Mirrors(List<URI> urls) {
        this.urls = List.copyOf(urls);
        this.rejections = new String[urls.size()];
        this.failedThisRound = new boolean[urls.size()];
    }

    /** Whether any source is still worth trying. */
    boolean hasUsable() {
        return rejections[current] == null;
    }

    /** The source to try next. */
    URI current() {
        return urls.get(current);
    }

    /**
     * Notes a passing failure of the current source and moves to the next usable one; {@code true} when that one
     * failed in this round too, so that every source has been tried and the caller should pause.
     */
    boolean failedForNow() {
        failedThisRound[current] = true;
        moveToNextUsable();
        return hasUsable() && failedThisRound[current];
    }

    /** Starts a new round after the pause: every usable source is worth an immediate attempt again. */
    void startRound() {
        Arrays.fill(failedThisRound, false);
        current = firstUsableFrom(0);
    }

    /**
     * Drops a source for the rest of this download; {@code true} when the source to try next already failed in
     * this round, so that the caller should pause.
     */
    boolean reject(URI url, String reason, boolean checksum) {
        int index = urls.indexOf(url);
        if (index >= 0) {
            rejections[index] = reason;
            checksumRejected |= checksum;
            if (index == current) {
                moveToNextUsable();
            }
        }
        return hasUsable() && failedThisRound[current];
    }

    /** Whether a source was dropped because it served bytes whose SHA-256 is not the manifest's. */
    boolean checksumRejected() {
        return checksumRejected;
    }

    /** Each source with the reason it was dropped. */
    String rejectionSummary() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            parts.add(urls.get(i) + ": " + (rejections[i] == null ? "not refused" : rejections[i]));
        }
        return String.join("; ", parts);
    }

    private void moveToNextUsable() {
        current = firstUsableFrom(current + 1);
    }

    // Cyclic search; stays on a rejected source when there is no usable one, which hasUsable() then reports.
    private int firstUsableFrom(int start) {
        for (int step = 0; step < urls.size(); step++) {
            int index = (start + step) % urls.size();
            if (rejections[index] == null) {
                return index;
            }
        }
        return current;
    }
}
