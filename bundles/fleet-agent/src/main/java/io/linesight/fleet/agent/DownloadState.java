package io.linesight.fleet.agent;

/** The phase a {@link PackageDownload} is in, as {@link DownloadProgress#state()} reports it. */
public enum DownloadState {
    /** {@link PackageDownload#run()} has not been called yet. */
    NOT_STARTED,
    /** Checking the size limit, the free space and a file already present. */
    CHECKING,
    /** A request is out; waiting for the response headers. */
    REQUESTING,
    /** Body bytes are flowing to the {@code .part} file. */
    TRANSFERRING,
    /** Every source failed in this round; pausing before the next one. */
    WAITING_TO_RETRY,
    /** Computing the SHA-256 of the complete {@code .part} file. */
    VERIFYING,
    /** {@link PackageDownload#run()} has returned; its {@link DownloadResult} says how. */
    FINISHED
}
