package io.linesight.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One API request, independent of the servlet API so the routes can be tested as functions.
 *
 * @param method        HTTP method
 * @param path          path below {@code /api}, e.g. {@code /lines/default}
 * @param query         decoded query parameters (first value of each)
 * @param authorization the {@code Authorization} header or null
 * @param remoteAddress the client's IP address
 * @param contentType   the {@code Content-Type} header, "" when absent
 * @param contentLength declared body length, -1 when unknown
 * @param body          the body, read at most once
 */
record ApiRequest(String method, String path, Map<String, String> query, String authorization, String remoteAddress,
                  String contentType, long contentLength, Body body) {

    /** A request without a content type (what the dashboard's GETs and JSON posts need). */
    ApiRequest(String method, String path, Map<String, String> query, String authorization, String remoteAddress,
               long contentLength, Body body) {
        this(method, path, query, authorization, remoteAddress, "", contentLength, body);
    }

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
            throw unreadable(e);
        }
    }

    /**
     * Streams the body into {@code target} (a package can be hundreds of megabytes); returns its size. 413 naming
     * {@code what} as soon as it passes {@code limit}; 400 if the client's connection fails while sending it; 500 if
     * {@code target} cannot be written.
     */
    long copyBody(Path target, long limit, String what) throws ApiException {
        if (contentLength > limit) {
            throw tooLarge(contentLength, limit, what);
        }
        try (InputStream in = openBody(); OutputStream out = openTarget(target)) {
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            for (int n = read(in, buffer); n > 0; n = read(in, buffer)) {
                total += n;
                if (total > limit) {
                    throw tooLarge(-1, limit, what);
                }
                write(out, buffer, n, target);
            }
            return total;
        } catch (IOException e) {
            throw new ApiException(500, "the " + what + " could not be kept for checking (" + e.getMessage()
                    + "); check the free space of the temporary folder");
        }
    }

    private InputStream openBody() throws ApiException {
        try {
            return body.open();
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private static OutputStream openTarget(Path target) throws ApiException {
        try {
            return Files.newOutputStream(target);
        } catch (IOException e) {
            throw new ApiException(500, "cannot write " + target + " (" + e.getMessage() + "); check the temporary folder");
        }
    }

    private static int read(InputStream in, byte[] buffer) throws ApiException {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private static void write(OutputStream out, byte[] buffer, int n, Path target) throws ApiException {
        try {
            out.write(buffer, 0, n);
        } catch (IOException e) {
            throw new ApiException(500, "cannot write " + target + " (" + e.getMessage() + "); check the free space of"
                    + " the temporary folder");
        }
    }

    private static ApiException unreadable(IOException e) {
        return new ApiException(400, "the request body could not be read: " + e.getMessage());
    }

    private static ApiException tooLarge(long size, long limit, String what) {
        return new ApiException(413, what + (size >= 0 ? " of " + size + " bytes" : "") + " exceeds the limit of "
                + (limit >= 1024 * 1024 ? limit / (1024 * 1024) + " MB" : limit + " bytes"));
    }

    String param(String name) {
        return query.get(name);
    }
}
