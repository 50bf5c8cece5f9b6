package io.linesight.fleet.agent;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One model package as a signed deployment manifest names it: where it may be fetched (mirrors, most preferred
 * first), the name it gets in the download folder, and its exact size and SHA-256. The manifest's signature is
 * checked before one of these is made; this type only refuses values that could not describe a package.
 *
 * @param urls     {@code http} or {@code https} addresses of the same bytes (a static server, an S3-compatible
 *                 bucket, a presigned URL), tried in this order
 * @param fileName a plain file name (no folder part), for example {@code "bottle-caps-7.zip"}
 * @param size     the package's length in bytes
 * @param sha256   the SHA-256 of the package, 64 hexadecimal digits (stored in lower case)
 */
public record PackageSource(List<URI> urls, String fileName, long size, String sha256) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Checks the values and copies the list. */
    public PackageSource {
        urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("a package needs at least one URL");
        }
        urls.forEach(PackageSource::requireHttp);
        requirePlainName(fileName);
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, not " + size);
        }
        sha256 = Objects.requireNonNull(sha256, "sha256").toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 hexadecimal digits, not '" + sha256 + "'");
        }
    }

    /** A package with a single source. */
    public static PackageSource of(URI url, String fileName, long size, String sha256) {
        return new PackageSource(List.of(url), fileName, size, sha256);
    }

    private static void requireHttp(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL with a host: " + url);
        }
    }

    // The name comes from the network: it must not climb out of the download folder or collide with our own
    // working files.
    private static void requirePlainName(String fileName) {
        Objects.requireNonNull(fileName, "fileName");
        if (fileName.isBlank() || fileName.equals(".") || fileName.equals("..") || fileName.contains("/")
                || fileName.contains("\\") || fileName.indexOf('\0') >= 0 || fileName.endsWith(PartFile.SUFFIX)
                || fileName.endsWith(PartFile.SOURCE_SUFFIX)) {
            throw new IllegalArgumentException("not a plain file name: '" + fileName + "'");
        }
    }
}
