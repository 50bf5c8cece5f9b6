package io.linesight.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The thin adapter between the servlet API and {@link ApiRequest} / {@link Reply}. */
final class Http {

    private Http() {
    }

    static ApiRequest request(HttpServletRequest r, String path) {
        return new ApiRequest(r.getMethod(), path, query(r.getQueryString()), r.getHeader("Authorization"), r.getRemoteAddr(),
                r.getContentType() == null ? "" : r.getContentType(), r.getContentLengthLong(), r::getInputStream);
    }

    /**
     * The query parameters, first value of each. Parsed here rather than with getParameterMap(), which
     * would also parse a form-encoded body: an image or a model package posted without a content type, or with
     * curl --data-binary's default (application/x-www-form-urlencoded), must reach its route unread.
     */
    static Map<String, String> query(String queryString) {
        Map<String, String> query = new LinkedHashMap<>();
        if (queryString == null || queryString.isEmpty()) {
            return query;
        }
        for (String pair : queryString.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            query.putIfAbsent(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return query;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape: keep it as typed, the route will say what is wrong with it
        }
    }

    static void send(HttpServletResponse response, Reply reply) throws IOException {
        response.setStatus(reply.status());
        response.setContentType(reply.contentType());
        reply.headers().forEach(response::setHeader);
        if (!reply.headers().containsKey("Cache-Control")) {
            response.setHeader("Cache-Control", "no-store");
        }
        response.setContentLength(reply.body().length);
        response.getOutputStream().write(reply.body());
    }

    /** The path below the servlet's pattern, never null ({@code /api/lines} → {@code /lines}). */
    static String subPath(HttpServletRequest r) {
        String info = r.getPathInfo();
        return info == null ? "" : info;
    }
}
