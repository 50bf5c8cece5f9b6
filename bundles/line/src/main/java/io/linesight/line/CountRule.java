package io.linesight.line;

import io.linesight.api.model.Detection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule on how many objects of one class a detector must find in a frame, e.g. {@code product>=20}
 * (a shelf with fewer than 20 products raises the verdict) or {@code person==0}. Pure.
 *
 * @param label    the class counted
 * @param operator {@code >=}, {@code <=} or {@code ==}
 * @param count    the number compared with
 */
record CountRule(String label, String operator, int count) {

    private static final Pattern SYNTAX = Pattern.compile("\\s*([^<>=\\s]+)\\s*(>=|<=|==)\\s*(\\d{1,6})\\s*");

    /** Parses {@code label>=N}, {@code label<=N} or {@code label==N}; the message names the bad rule. */
    static CountRule parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("count rule '" + text + "' is not <label>>=N, <label><=N or <label>==N");
        }
        return new CountRule(m.group(1), m.group(2), Integer.parseInt(m.group(3)));
    }

    /** Objects of this rule's class among the detections. */
    int countIn(List<Detection> objects) {
        int n = 0;
        for (Detection d : objects) {
            if (d.label().equals(label)) {
                n++;
            }
        }
        return n;
    }

    boolean holdsFor(int found) {
        return switch (operator) {
            case ">=" -> found >= count;
            case "<=" -> found <= count;
            default -> found == count;
        };
    }

    @Override
    public String toString() {
        return label + operator + count;
    }
}
