package io.linesight.fleet.manifest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * PEM text as models/sign writes it and model-deploy reads it: one {@code -----BEGIN <type>-----} block, base64
 * of the DER encoding in 64-character lines.
 */
final class Pem {

    static final String PRIVATE_KEY = "PRIVATE KEY";
    static final String PUBLIC_KEY = "PUBLIC KEY";

    private Pem() {
    }

    static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /**
     * The DER bytes of the first {@code type} block in {@code text}; text around the block is ignored.
     *
     * @throws IllegalArgumentException when there is no such block or its body is not base64
     */
    static byte[] decode(String text, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = from < 0 ? -1 : text.indexOf(end, from);
        if (to < 0) {
            throw new IllegalArgumentException("it has no " + begin + " ... " + end + " block");
        }
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to).trim());
    }
}
