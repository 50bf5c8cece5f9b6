package io.linesight.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens allowed to change state through the web API (reset, activate, rollback, acknowledge, model push),
 * from configuration entries {@code <name>:<sha256-hex of the token>}. Only digests are configured, so a
 * configuration file never holds a usable secret; tokens are random and long (e.g. {@code openssl rand -hex 32}), so
 * an unsalted digest is enough. Comparison is constant-time.
 *
 * <p>A malformed entry (a clear-text token pasted by mistake, a digest cut short) is left out and described in
 * {@link #malformed()}, never echoed: the web keeps serving and the other tokens keep working, while requests with
 * the malformed one are refused as with any unknown token.
 */
final class BearerTokens {

    private record Entry(String name, byte[] digest) {
    }

    private final List<Entry> entries;
    private final List<String> malformed;

    private BearerTokens(List<Entry> entries, List<String> malformed) {
        this.entries = entries;
        this.malformed = malformed;
    }

    /** Parses the configured entries; {@code property} names where they come from in {@link #malformed()}. */
    static BearerTokens parse(String[] configured, String property) {
        List<Entry> entries = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        String[] lines = configured == null ? new String[0] : configured;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i] != null && !lines[i].isBlank()) {
                entry(lines[i]).ifPresentOrElse(entries::add, malformedEntry(malformed, property, i + 1));
            }
        }
        return new BearerTokens(List.copyOf(entries), List.copyOf(malformed));
    }

    private static Optional<Entry> entry(String line) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? "" : line.substring(0, colon).trim();
        String hex = colon < 0 ? "" : line.substring(colon + 1).trim();
        if (!name.matches("[A-Za-z0-9_.-]{1,64}") || !hex.matches("[0-9a-fA-F]{64}")) {
            return Optional.empty();
        }
        return Optional.of(new Entry(name, HexFormat.of().parseHex(hex.toLowerCase())));
    }

    private static Runnable malformedEntry(List<String> malformed, String property, int number) {
        return () -> malformed.add(property + ": entry #" + number + " is not <name>:<64 hex digits of the token's"
                + " SHA-256> and is ignored (requests with it are refused); make one with printf 'ci:%s\\n'"
                + " \"$(printf %s \"$TOKEN\" | sha256sum | cut -c1-64)\"");
    }

    /** One sentence per configured entry that was left out, saying which and how to make a good one. */
    List<String> malformed() {
        return malformed;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    /** The name of the token in an {@code Authorization: Bearer <token>} header, if it is allowed. */
    Optional<String> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] digest = sha256(authorizationHeader.substring(7).trim());
        String match = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), digest) && match == null) {
                match = e.name();
            }
        }
        return Optional.ofNullable(match);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
