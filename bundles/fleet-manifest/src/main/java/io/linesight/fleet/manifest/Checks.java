package io.linesight.fleet.manifest;

import java.util.regex.Pattern;

/** The value rules the records enforce, shared so the parser, the records and the signer agree. */
final class Checks {

    /** Deployment ids, model names and versions: become folder and file names on a box (as model-deploy's). */
    static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,99}");
    static final String SAFE_ID_RULE =
            "1 to 100 letters, digits, '.', '_', '+' or '-', starting with a letter or digit";

    /** Key names become file names in the trusted-keys folder: as models/sign keygen accepts them. */
    static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    static final String KEY_NAME_RULE = "1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit";

    /** Group and node names are Sparkplug ids: no '/', '+', '#', no white space; '*' is kept for "all". */
    static final Pattern SPARKPLUG_NAME = Pattern.compile("[^/+#*\\s\\p{Cntrl}]{1,100}");
    static final String SPARKPLUG_NAME_RULE = "1 to 100 characters without '/', '+', '#', '*' or white space";

    /** Line ids as a line's configuration accepts them. */
    static final Pattern LINE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    static final String LINE_ID_RULE = "1 to 64 letters, digits, '_', '.' or '-'";

    private static final int SHOWN_CHARACTERS = 80;

    private Checks() {
    }

    /** Refuses with {@code sentence} unless {@code ok}; records cannot throw checked exceptions. */
    static void require(boolean ok, String sentence) {
        if (!ok) {
            throw new IllegalArgumentException(sentence);
        }
    }

    /** Untrusted text as a message quotes it: bounded, so a huge field cannot make a huge log line. */
    static String shown(String text) {
        return text.length() <= SHOWN_CHARACTERS ? text : text.substring(0, SHOWN_CHARACTERS) + "...";
    }
}
