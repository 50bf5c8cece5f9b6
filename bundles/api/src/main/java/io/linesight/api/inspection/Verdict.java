package io.linesight.api.inspection;

/** What happens to the part in the frame. The numeric code is what the PLC register carries. */
public enum Verdict {
    /** The part is good; let it pass. */
    PASS(1),
    /** The part is bad; eject it. */
    REJECT(2),
    /** The model is unsure; keep the frame for a person to look at. */
    REVIEW(3);

    private final int code;

    Verdict(int code) {
        this.code = code;
    }

    /** Stable numeric code for registers and SCADA (0 means "no verdict yet"). */
    public int code() {
        return code;
    }
}
