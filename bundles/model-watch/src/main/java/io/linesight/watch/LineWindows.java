package io.linesight.watch;

import io.linesight.api.inspection.Verdict;

/**
 * One line's two windows for one model: the reference (the first {@code referenceFrames} judged frames after the
 * activation, then frozen; or, once {@link #useGoldenReference} is called, what the model answered on its golden set
 * when it was gated) and the rolling window (the latest {@code windowFrames}, a ring). Each frame is its top-1
 * confidence and its verdict. Fixed arrays: nothing grows with the frames. Adding is O(1) and takes the object's lock
 * only for the copy, since it runs on the line's inference thread; the evaluator copies under the same lock.
 */
final class LineWindows {

    /** What the evaluator works on: copies, so the line never waits for the statistics. */
    record Snapshot(String model, int classes, double[] referenceConfidence, int[] referenceVerdicts,
                    int[] referenceClasses, double[] windowConfidence, int[] windowVerdicts, int[] windowClasses,
                    boolean golden) {
        boolean full(int referenceFrames, int windowFrames) {
            return (golden || referenceConfidence.length == referenceFrames) && windowConfidence.length == windowFrames;
        }
    }

    private final String model;
    /** Class categories: the model's labels, and one more for "no class" (a detector that found nothing). */
    private final int classes;
    private int[] referenceClasses;
    private final int[] windowClasses;
    private double[] referenceConfidence;
    private int[] referenceVerdicts;
    /** The reference is the golden set's answers (no verdicts: the line's thresholds never judged them). */
    private boolean golden;
    /** A golden reference was looked for (found or not): looked for once per model. */
    private volatile boolean goldenLookedFor;
    private int referenceCount;
    private final double[] windowConfidence;
    private final int[] windowVerdicts;
    private int windowCount;
    private int next;

    /** The package name and version of the model, for the golden reference's lookup (null: unknown). */
    private final String packageName;
    private final String packageVersion;

    LineWindows(String model, int labels, int referenceFrames, int windowFrames) {
        this(model, null, null, labels, referenceFrames, windowFrames);
    }

    LineWindows(String model, String packageName, String packageVersion, int labels, int referenceFrames,
            int windowFrames) {
        this.model = model;
        this.packageName = packageName;
        this.packageVersion = packageVersion;
        this.classes = labels + 1;
        this.referenceClasses = new int[referenceFrames];
        this.windowClasses = new int[windowFrames];
        this.referenceConfidence = new double[referenceFrames];
        this.referenceVerdicts = new int[referenceFrames];
        this.windowConfidence = new double[windowFrames];
        this.windowVerdicts = new int[windowFrames];
    }

    String model() {
        return model;
    }

    String packageName() {
        return packageName;
    }

    String packageVersion() {
        return packageVersion;
    }

    boolean goldenLookedFor() {
        return goldenLookedFor;
    }

    void goldenLookedFor(boolean looked) {
        goldenLookedFor = looked;
    }

    /**
     * Evaluator thread: the golden set's answers become the reference; frames judged so far and from now on all go
     * to the rolling window.
     */
    synchronized void useGoldenReference(double[] confidences, int[] classIndices) {
        int frames = referenceCount;
        double[] seen = java.util.Arrays.copyOf(referenceConfidence, frames);
        int[] seenVerdicts = java.util.Arrays.copyOf(referenceVerdicts, frames);
        int[] seenClasses = java.util.Arrays.copyOf(referenceClasses, frames);
        referenceConfidence = confidences.clone();
        referenceClasses = new int[classIndices.length];
        for (int i = 0; i < classIndices.length; i++) {
            referenceClasses[i] = category(classIndices[i]);
        }
        referenceVerdicts = new int[0];
        referenceCount = confidences.length;
        golden = true;
        for (int i = 0; i < frames; i++) {
            addToWindow(seen[i], seenVerdicts[i], seenClasses[i]);
        }
    }

    /** Line thread: one judged frame. The first ones fill the reference; every one after goes to the window. */
    synchronized void add(double confidence, Verdict verdict, int classIndex) {
        int code = index(verdict);
        int category = category(classIndex);
        if (!golden && referenceCount < referenceConfidence.length) {
            referenceConfidence[referenceCount] = confidence;
            referenceVerdicts[referenceCount] = code;
            referenceClasses[referenceCount] = category;
            referenceCount++;
            return;
        }
        addToWindow(confidence, code, category);
    }

    private void addToWindow(double confidence, int verdictCode, int category) {
        windowConfidence[next] = confidence;
        windowVerdicts[next] = verdictCode;
        windowClasses[next] = category;
        next = (next + 1) % windowConfidence.length;
        windowCount = Math.min(windowCount + 1, windowConfidence.length);
    }

    /** The label index, or the extra "no class" category. */
    private int category(int classIndex) {
        return classIndex >= 0 && classIndex < classes - 1 ? classIndex : classes - 1;
    }

    synchronized Snapshot snapshot() {
        double[] window = new double[windowCount];
        int[] verdicts = new int[windowCount];
        int[] windowClassCopy = new int[windowCount];
        for (int i = 0; i < windowCount; i++) {
            // oldest first, though the statistics do not care about the order
            int at = (next - windowCount + i + windowConfidence.length) % windowConfidence.length;
            window[i] = windowConfidence[at];
            verdicts[i] = windowVerdicts[at];
            windowClassCopy[i] = windowClasses[at];
        }
        return new Snapshot(model, classes, java.util.Arrays.copyOf(referenceConfidence, referenceCount),
                java.util.Arrays.copyOf(referenceVerdicts, referenceCount),
                java.util.Arrays.copyOf(referenceClasses, referenceCount), window, verdicts, windowClassCopy, golden);
    }

    /** PASS 0, REJECT 1, REVIEW 2: the categories of the verdict shares. */
    static int index(Verdict verdict) {
        return switch (verdict) {
            case PASS -> 0;
            case REJECT -> 1;
            case REVIEW -> 2;
        };
    }
}
