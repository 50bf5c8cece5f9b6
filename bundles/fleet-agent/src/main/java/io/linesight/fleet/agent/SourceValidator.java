package io.linesight.fleet.agent;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Objects;
import java.util.Optional;

/**
 * What a source said about the file when a {@code .part} was started from it: its {@code ETag} and
 * {@code Last-Modified}. Sent back as {@code If-Range} when resuming from the same source, so that a file replaced on
 * the server in between is fetched whole again instead of being spliced onto old bytes.
 */
record SourceValidator(URI url, String etag, String lastModified) {

    SourceValidator {
        Objects.requireNonNull(url, "url");
    }

    static SourceValidator of(URI url, HttpHeaders headers) {
        return new SourceValidator(url, headers.firstValue("ETag").orElse(null),
                headers.firstValue("Last-Modified").orElse(null));
    }

    /**
     * The {@code If-Range} value: a strong ETag if there is one (RFC 9110 allows no weak one there), else the
     * {@code Last-Modified} date.
     */
    Optional<String> ifRange() {
        if (etag != null && !etag.startsWith("W/")) {
            return Optional.of(etag);
        }
        return Optional.ofNullable(lastModified);
    }

    /**
     * Whether a response from the same source shows a different file than this one, for servers that answer a
     * range without honouring {@code If-Range}.
     */
    boolean changedIn(HttpHeaders headers) {
        Optional<String> newEtag = headers.firstValue("ETag");
        if (etag != null && newEtag.isPresent()) {
            return !etag.equals(newEtag.get());
        }
        Optional<String> newLastModified = headers.firstValue("Last-Modified");
        return lastModified != null && newLastModified.isPresent() && !lastModified.equals(newLastModified.get());
    }
}
