package io.linesight.sparkplug;

/** The Sparkplug message sequence of one edge node: 0 at NBIRTH, then one more per message, 255 wraps to 0. */
final class SeqCounter {

    private int next;

    void reset() {
        next = 0;
    }

    long take() {
        int v = next;
        next = (next + 1) & 0xFF;
        return v;
    }
}
