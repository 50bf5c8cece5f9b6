package io.linesight.fleet.agent;

import java.net.URI;

/**
 * What a {@link PackageDownload} is doing, as another thread sees it through {@link PackageDownload#progress()}.
 * Each field is current when read, but the fields are read one after the other while the download moves on, so
 * they may be a buffer apart from each other.
 *
 * @param state          the phase
 * @param bytesDone      bytes in the {@code .part} file (or the final file once complete), resumed ones included
 * @param totalBytes     the package's size from the manifest
 * @param bytesPerSecond the transfer rate over the last second or so; 0 when no body is flowing
 * @param attempts       requests sent so far
 * @param resumes        {@code 206 Partial Content} answers accepted (transfers that continued a {@code .part})
 * @param currentUrl     the source of the latest request, {@code null} before the first
 * @param lastError      why the latest attempt failed, {@code null} if none has
 */
public record DownloadProgress(DownloadState state, long bytesDone, long totalBytes, long bytesPerSecond,
                               int attempts, int resumes, URI currentUrl, String lastError) {

    /** {@code bytesDone} as a percentage of {@code totalBytes}, 0 to 100. */
    public double percent() {
        return totalBytes <= 0 ? 0 : Math.min(100.0, bytesDone * 100.0 / totalBytes);
    }

    @Override
    public String toString() {
        return String.format("%s %s of %s (%.1f %%) at %s/s, %d attempts, %d resumes, %s%s", state,
                Sizes.format(bytesDone), Sizes.format(totalBytes), percent(), Sizes.format(bytesPerSecond), attempts,
                resumes, currentUrl, lastError == null ? "" : ", last error: " + lastError);
    }
}
