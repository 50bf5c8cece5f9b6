package io.linesight.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * One API request, independent of the servlet API so the routes can be tested as functions.
 *
 * @param method        HTTP method
 * @param path          path below {@code /api}, e.g. {@code /lines/default}
 * @param query         decoded query parameters (first value of each)
 * @param authorization the {@code Authorization} header or null
 * @param remoteAddress the client's IP address
 * @param contentLength declared body length, -1 when unknown
 * @param body          the body, read at most once
 */
record ApiRequest(String method, String path, Map<String, String> query, String authorization, String remoteAddress,
                  long contentLength, Body body) {

    /** Supplies the request body. */
    @FunctionalInterface
    interface Body {
        InputStream open() throws IOException;
    }

    /** Reads at most {@code limit} bytes; 413 naming {@code what} when the body is longer. */
    byte[] readBody(long limit, String what) throws ApiException {
        if (contentLength > limit) {
            throw tooLarge(contentLength, limit, what);
        }
        try (InputStream in = body.open()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw tooLarge(-1, limit, what);
            }
            return bytes;
        } catch (IOException e) {
            throw new ApiException(400, "the request body could not be read: " + e.getMessage());
        }
    }

    private static ApiException tooLarge(long size, long limit, String what) {
        return new ApiException(413, what + (size >= 0 ? " of " + size + " bytes" : "") + " exceeds the limit of "
                + (limit >= 1024 * 1024 ? limit / (1024 * 1024) + " MB" : limit + " bytes"));
    }

    String param(String name) {
        return query.get(name);
    }
}
