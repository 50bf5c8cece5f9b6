package io.linesight.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens allowed to change state through the web (reset, activate, rollback), from
 * configuration entries {@code <name>:<sha256-hex of the token>}, in the same format as the model push
 * endpoint's tokens (bundle model-deploy-http), so one entry can serve both. Only digests are configured,
 * so a configuration file never holds a usable secret; tokens are random and long (e.g. {@code openssl rand -hex 32}), so an unsalted digest is enough. Comparison is
 * constant-time.
 */
final class BearerTokens {

    private record Entry(String name, byte[] digest) {
    }

    private final List<Entry> entries;

    private BearerTokens(List<Entry> entries) {
        this.entries = entries;
    }

    /** Parses the configured entries; the message names the bad entry (never echoing a digest). */
    static BearerTokens parse(String[] configured, String property) {
        List<Entry> entries = new ArrayList<>();
        for (String line : configured == null ? new String[0] : configured) {
            if (line == null || line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).trim();
            String hex = colon < 0 ? "" : line.substring(colon + 1).trim();
            if (!name.matches("[A-Za-z0-9_.-]{1,64}") || !hex.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(property + ": entry #" + (entries.size() + 1)
                        + " must be <name>:<64 hex digits of the token's SHA-256>, e.g. ci:$(printf %s \"$TOKEN\" | sha256sum)");
            }
            entries.add(new Entry(name, HexFormat.of().parseHex(hex.toLowerCase())));
        }
        return new BearerTokens(List.copyOf(entries));
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
