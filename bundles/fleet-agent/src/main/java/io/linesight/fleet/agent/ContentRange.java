package io.linesight.fleet.agent;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Content-Range: bytes <first>-<last>/<complete length>} header of a {@code 206} answer; the complete
 * length is -1 when the server sent {@code *}.
 */
record ContentRange(long first, long last, long completeLength) {

    private static final Pattern FORM = Pattern.compile("\\s*bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)\\s*",
            Pattern.CASE_INSENSITIVE);

    /** The parsed header, empty when it is absent or not of this form. */
    static Optional<ContentRange> parse(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Matcher matcher = FORM.matcher(header.get());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            long first = Long.parseLong(matcher.group(1));
            long last = Long.parseLong(matcher.group(2));
            long complete = matcher.group(3).equals("*") ? -1 : Long.parseLong(matcher.group(3));
            return first <= last ? Optional.of(new ContentRange(first, last, complete)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
