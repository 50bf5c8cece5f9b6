package io.linesight.model.deploy;

import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Where {@code model:deploy <file|url>} takes a package from: a path (relative to the runtime's home), a
 * {@code file:} URL, or an {@code http:}/{@code https:} URL downloaded to a temporary file within a size
 * bound and a deadline (connect, each read, and the whole transfer).
 */
final class PackageSource {

    private final Path home;
    private final long maxBytes;
    private final Duration timeout;

    PackageSource(Path home, long maxBytes, Duration timeout) {
        this.home = home;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    /** A local package path; for a download, a temporary file the caller must delete ({@link #isTemporary}). */
    Path fetch(String spec) throws DeploymentException {
        String scheme = scheme(spec);
        if (scheme == null) {
            return home.resolve(spec).normalize();
        }
        URI uri = URI.create(spec);
        return switch (scheme) {
            case "file" -> Path.of(uri);
            case "http", "https" -> download(uri);
            default -> throw new DeploymentException(Reason.NOT_FOUND, "Cannot fetch " + spec
                    + ": only files and http, https or file URLs are supported");
        };
    }

    static boolean isTemporary(String spec) {
        String scheme = scheme(spec);
        return "http".equals(scheme) || "https".equals(scheme);
    }

    private static String scheme(String spec) {
        try {
            String scheme = new URI(spec).getScheme();
            // one letter is a Windows drive, not a scheme
            return scheme == null || scheme.length() < 2 ? null : scheme.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private Path download(URI uri) throws DeploymentException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpURLConnection connection = null;
        Path file = null;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setInstanceFollowRedirects(true);
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new DeploymentException(status == 404 ? Reason.NOT_FOUND : Reason.FAILED,
                        "Download of " + uri + " failed: HTTP " + status);
            }
            long length = connection.getContentLengthLong();
            if (length > maxBytes) {
                throw tooLarge(uri);
            }
            file = Files.createTempFile("linesight-download-", ".zip");
            try (InputStream in = connection.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
                copy(in, out, uri, deadline);
            }
            return file;
        } catch (IOException e) {
            deleteQuietly(file);
            throw new DeploymentException(Reason.FAILED, "Download of " + uri + " failed: " + e, e);
        } catch (DeploymentException e) {
            deleteQuietly(file);
            throw e;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private void copy(InputStream in, OutputStream out, URI uri, long deadline)
            throws IOException, DeploymentException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
            if (total > maxBytes) {
                throw tooLarge(uri);
            }
            if (System.nanoTime() > deadline) {
                throw new DeploymentException(Reason.FAILED, "Download of " + uri + " took longer than "
                        + timeout.toSeconds() + " s (downloadTimeoutSeconds)");
            }
            out.write(buffer, 0, n);
        }
    }

    private DeploymentException tooLarge(URI uri) {
        return new DeploymentException(Reason.NOT_TRUSTED, "Download of " + uri + " is larger than"
                + " maxPackageMegabytes (" + maxBytes / (1024 * 1024) + " MB)");
    }

    static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temp file the OS cleans up
            }
        }
    }
}
