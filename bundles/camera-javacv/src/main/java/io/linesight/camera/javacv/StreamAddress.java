package io.linesight.camera.javacv;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A camera URL, its kind, the name FFmpeg opens and a safe form for logs, line states and SCADA: user
 * and password removed, secret-looking query values masked.
 *
 * @param kind              what it names
 * @param ffmpeg            the name handed to FFmpeg, credentials included (never log it)
 * @param safe              the URL without credentials
 * @param credentialsInUrl  whether the configured {@code url} itself held user info (it is then
 *                          visible in the service properties)
 */
record StreamAddress(SourceKind kind, String ffmpeg, String safe, boolean credentialsInUrl) {

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://");
    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#]*@");
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "([?&;](?:[^=&;#]*(?:pass|pwd|token|secret|key|auth|sig)[^=&;#]*)=)[^&;#]*", Pattern.CASE_INSENSITIVE);

    @Override
    public String toString() {
        return safe;
    }

    /**
     * Parses a configured URL and puts {@code user}/{@code password} into it (percent-encoded: FFmpeg
     * URL-decodes the user info once before it authenticates, for RTSP and HTTP alike).
     *
     * @throws IllegalArgumentException if the URL is unusable, or credentials are given twice or for a
     *         source that has none
     */
    static StreamAddress parse(String url, String user, String password) {
        StreamAddress plain = parse(url);
        boolean hasUser = user != null && !user.isBlank();
        if (!hasUser) {
            if (password != null && !password.isEmpty()) {
                throw new IllegalArgumentException(".password is set but user is empty");
            }
            return plain;
        }
        if (plain.kind() != SourceKind.RTSP && plain.kind() != SourceKind.HTTP) {
            throw new IllegalArgumentException("user/.password apply to rtsp:// and http:// urls only, not to " + plain.safe());
        }
        if (plain.credentialsInUrl()) {
            throw new IllegalArgumentException("credentials are given twice, in url and in user/.password; keep user/.password");
        }
        String userInfo = encode(user.trim()) + (password == null || password.isEmpty() ? "" : ":" + encode(password));
        int authority = plain.ffmpeg().indexOf("://") + 3;
        String withUser = plain.ffmpeg().substring(0, authority) + userInfo + "@" + plain.ffmpeg().substring(authority);
        return new StreamAddress(plain.kind(), withUser, plain.safe(), false);
    }

    /**
     * Parses a configured URL.
     *
     * @throws IllegalArgumentException if it is empty or names a scheme this camera does not read
     */
    static StreamAddress parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url must not be empty: give rtsp://..., http://..., /dev/videoN or a file path");
        }
        String trimmed = url.trim();
        String safe = redact(trimmed);
        Matcher scheme = SCHEME.matcher(trimmed);
        if (scheme.find()) {
            return withScheme(trimmed, scheme.group(1).toLowerCase(Locale.ROOT), safe);
        }
        if (trimmed.startsWith("file:")) {
            return new StreamAddress(SourceKind.FILE, trimmed, safe, false);
        }
        if (trimmed.startsWith("/dev/")) {
            return new StreamAddress(SourceKind.V4L2, trimmed, safe, false);
        }
        // "file:" keeps FFmpeg from reading "a:b.mp4" as protocol "a"
        return new StreamAddress(SourceKind.FILE, "file:" + trimmed, safe, false);
    }

    private static StreamAddress withScheme(String url, String scheme, String safe) {
        boolean credentials = USER_INFO.matcher(url).find();
        return switch (scheme) {
            case "rtsp", "rtsps" -> new StreamAddress(SourceKind.RTSP, url, safe, credentials);
            case "http", "https" -> new StreamAddress(SourceKind.HTTP, url, safe, credentials);
            case "v4l2" -> new StreamAddress(SourceKind.V4L2, url.substring("v4l2://".length()), safe, false);
            default -> throw new IllegalArgumentException("url scheme '" + scheme + "' is not supported (" + safe
                    + "); use rtsp://, http://, /dev/videoN or a file path");
        };
    }

    /** The URL with user info removed and secret-looking query values replaced by {@code ***}. */
    static String redact(String url) {
        String noUser = USER_INFO.matcher(url).replaceFirst("$1");
        return SECRET_PARAM.matcher(noUser).replaceAll("$1***");
    }

    /** {@code text} with the URL FFmpeg opened replaced by the safe one. */
    String scrub(String text) {
        return text == null ? "" : text.replace(ffmpeg, safe);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
