package io.linesight.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who may do what. State changes (reset, activate, rollback, alarm acknowledgement, model push) always need a
 * configured bearer token; the read-only views follow {@link WebConfig.ReadAccess}. Tokens travel in the
 * {@code Authorization} header, never in cookies, so a page on another site cannot make a browser send them (no CSRF).
 */
final class Access {

    private final BearerTokens tokens;
    private final WebConfig.ReadAccess readAccess;

    Access(BearerTokens tokens, WebConfig.ReadAccess readAccess) {
        this.tokens = tokens;
        this.readAccess = readAccess;
    }

    /** Returns normally when the caller may read; else 401 saying how to get in. */
    void requireRead(String remoteAddress, String authorization) throws ApiException {
        if (readAccess == WebConfig.ReadAccess.ANYWHERE
                || (readAccess == WebConfig.ReadAccess.LOOPBACK && isLoopback(remoteAddress))) {
            return;
        }
        requireToken(authorization, "reading from " + remoteAddress);
    }

    /** The name of the caller's token; 401 without a valid one. */
    String requireWrite(String authorization) throws ApiException {
        return requireWrite(authorization, "this change");
    }

    /** The same, with {@code what} the caller tried (for example "a model push") in the refusal. */
    String requireWrite(String authorization, String what) throws ApiException {
        return requireToken(authorization, what);
    }

    private String requireToken(String authorization, String what) throws ApiException {
        if (tokens.isEmpty()) {
            throw new ApiException(401, what + " needs a bearer token, and none is configured: add one to tokens in "
                    + WebSettings.PID + " (see README, Web)");
        }
        if (authorization == null || authorization.isBlank()) {
            throw new ApiException(401, what + " needs a bearer token (Authorization: Bearer <token>)");
        }
        return tokens.authenticate(authorization).orElseThrow(() -> new ApiException(401,
                "the token was not accepted: mistyped, or revoked since it was entered; enter a valid token again"));
    }

    static boolean isLoopback(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isBlank()) {
            return false;
        }
        String literal = remoteAddress.startsWith("[") ? remoteAddress.substring(1, remoteAddress.length() - 1) : remoteAddress;
        if (!literal.matches("[0-9a-fA-F:.%]+")) {
            return false; // only IP literals: never resolve a name here
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
