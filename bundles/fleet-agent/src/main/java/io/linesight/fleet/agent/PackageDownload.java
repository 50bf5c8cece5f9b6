package io.linesight.fleet.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.linesight.fleet.agent.DownloadResult.Outcome;

/**
 * Downloads one model package named by a deployment manifest into a download folder, over a plant network that
 * drops links, from any plain HTTP(S) static server or S3-compatible bucket (plain {@code GET} with {@code Range};
 * presigned URLs work as they are).
 *
 * <p>How it behaves:
 * <ul>
 *   <li><b>Bounded before it starts.</b> A package the manifest says is larger than
 *       {@link DownloadSettings#maxPackageBytes()}, or one that would leave less than
 *       {@link DownloadSettings#freeSpaceMarginBytes()} free in the folder's file store, is refused without a
 *       request, with the missing bytes in the reason. A server that sends more bytes than the manifest's size is
 *       cut off.</li>
 *   <li><b>Resumable.</b> Bytes go to {@code <file>.part}. When one exists (from an earlier attempt or an earlier
 *       run of the box) the request asks for {@code Range: bytes=<length>-}; a {@code 206} whose
 *       {@code Content-Range} starts at that length continues the file. A {@code 200} instead (the server ignores
 *       ranges, or {@code If-Range} found the file changed) starts again from zero, with a warning in the log. The
 *       source's {@code ETag}/{@code Last-Modified} is kept beside the {@code .part} and sent as {@code If-Range};
 *       a {@code 206} showing another {@code ETag} also starts again from zero. A {@code .part} begun at one source
 *       may be continued from another (mirrors serve the same bytes); the final SHA-256 is the safeguard.</li>
 *   <li><b>Mirrors and retries.</b> Sources are tried in the manifest's order. A source that refuses for good
 *       (4xx other than 408/429, a different size, a wrong SHA-256) is dropped for this download; a passing
 *       failure (no connection, no headers or no body bytes within {@link DownloadSettings#readTimeout()}, 408,
 *       429, 5xx, a connection cut mid-body) moves on to the next source, and once every source has failed in a
 *       round the download pauses with capped exponential back-off and jitter. After
 *       {@link DownloadSettings#deadline()} it gives up, keeping the {@code .part}.</li>
 *   <li><b>Paced.</b> {@link DownloadSettings#bytesPerSecond()} caps the copy loop's rate (a token bucket);
 *       since the body is read only as fast as it is written, TCP flow control slows the sender too.</li>
 *   <li><b>Verified.</b> The SHA-256 of the complete {@code .part} must be the manifest's before the file is
 *       flushed and renamed to its final name in one step. A mismatch deletes the {@code .part} (it is garbage),
 *       drops the source that completed it and goes on from zero with the next source, if any.</li>
 *   <li><b>Cancellable at any phase</b> from another thread ({@link #cancel(boolean)}): a newer desired state
 *       supersedes this download. Once the final rename happened the download counts as completed.</li>
 *   <li><b>Observable</b> from another thread at the cost of a few volatile reads ({@link #progress()}).</li>
 *   <li><b>Bounded and closed.</b> One copy buffer of {@link DownloadSettings#bufferBytes()}; every response body
 *       and file channel is closed before {@link #run()} returns. No thread is started.</li>
 * </ul>
 *
 * <p>One instance downloads one package once: {@link #run()} blocks the calling thread until the package is in
 * place or the download has ended otherwise, and returns a {@link DownloadResult}; it never throws for network or
 * disk trouble. The {@link HttpClient} is the caller's and is shared between downloads
 * ({@link #newHttpClient(Duration)} makes a suitable one); the JDK 17 client has no {@code close()} and releases its
 * selector thread once unreachable.
 */
public final class PackageDownload {

    private static final Logger LOG = LoggerFactory.getLogger(PackageDownload.class);

    /** Slack over the request timeout before the wait for the headers gives up on its own. */
    private static final long HEADER_WAIT_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final HttpClient client;
    private final PackageSource source;
    private final Path folder;
    private final Path target;
    private final DownloadSettings settings;
    private final PartFile part;
    private final Mirrors mirrors;
    private final Backoff backoff;
    private final TokenBucket bucket;
    private final byte[] buffer;

    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch cancelRequested = new CountDownLatch(1);
    private volatile boolean discardOnCancel;
    private final AtomicReference<InputStream> activeBody = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<?>> pendingResponse = new AtomicReference<>();
    private long deadlineNanos;

    // Progress: written by the thread in run() only, read by any thread through progress().
    private volatile DownloadState state = DownloadState.NOT_STARTED;
    private volatile long bytesDone;
    private volatile long bytesPerSecond;
    private volatile int attempts;
    private volatile int resumes;
    private volatile URI currentUrl;
    private volatile String lastError;

    /**
     * Prepares a download; nothing happens before {@link #run()}.
     *
     * @param client   sends the requests; see {@link #newHttpClient(Duration)}
     * @param source   the package as the manifest names it
     * @param folder   the download folder (created if missing); the package lands in
     *                 {@code folder/source.fileName()}
     * @param settings bounds and pacing
     */
    public PackageDownload(HttpClient client, PackageSource source, Path folder, DownloadSettings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.source = Objects.requireNonNull(source, "source");
        this.folder = Objects.requireNonNull(folder, "folder");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.target = folder.resolve(source.fileName());
        this.part = new PartFile(target);
        this.mirrors = new Mirrors(source.urls());
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        this.bucket = new TokenBucket(settings.bytesPerSecond(), this::pause);
        this.buffer = new byte[settings.bufferBytes()];
    }

    /**
     * An HTTP client for downloads: HTTP/1.1, so that a cancelled or stalled body closes its own connection rather
     * than leaving a half-dead multiplexed one for later requests, and so that {@code http://} sources get no
     * {@code h2c} upgrade some static servers and proxies mishandle; redirects followed except from https to http.
     *
     * @param connectTimeout how long to wait for a TCP (and TLS) connection to a source
     */
    public static HttpClient newHttpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(connectTimeout)
                .build();
    }

    /** Where the verified package lands: {@code folder/fileName}. */
    public Path target() {
        return target;
    }

    /** Where the bytes received so far are kept: {@code folder/fileName.part}. */
    public Path partFile() {
        return part.path();
    }

    /** The download's phase and counters right now; cheap enough to call from a status poll at any rate. */
    public DownloadProgress progress() {
        return new DownloadProgress(state, bytesDone, source.size(), bytesPerSecond, attempts, resumes, currentUrl,
                lastError);
    }

    /**
     * Ends the download as soon as possible, from any thread and in any phase: a request waiting for headers is
     * abandoned, a body being read is closed, a back-off or rate pause ends, verification stops. {@link #run()}
     * then returns {@link Outcome#CANCELLED}, unless the package was already renamed into place. Calling it before
     * {@link #run()} makes {@code run()} return at once; calling it again is harmless.
     *
     * @param discardPartial delete the {@code .part} (a package no longer wanted); otherwise it is kept so that a
     *                       later download of the same package resumes
     */
    public void cancel(boolean discardPartial) {
        if (discardPartial) {
            discardOnCancel = true;
        }
        cancelRequested.countDown();
        closeQuietly(activeBody.get());
        CompletableFuture<?> pending = pendingResponse.get();
        if (pending != null) {
            pending.cancel(true);
        }
    }

    /** Whether {@link #cancel(boolean)} was called (or the thread in {@link #run()} was interrupted). */
    public boolean isCancelled() {
        return cancelRequested.getCount() == 0;
    }

    /**
     * Downloads, verifies and renames the package, in the calling thread, and says how it ended.
     *
     * @throws IllegalStateException if called a second time
     */
    public DownloadResult run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a PackageDownload runs once; make a new one for " + source.fileName());
        }
        deadlineNanos = System.nanoTime() + settings.deadline().toNanos();
        LOG.info("downloading {} ({}, sha256 {}) from {} into {}", source.fileName(), Sizes.format(source.size()),
                source.sha256(), source.urls(), folder);
        Ending ending;
        try {
            ending = download();
        } catch (ClosedByInterruptException e) {
            // the thread was interrupted during a file operation: a cancellation, not a broken disk
            cancelRequested.countDown();
            ending = cancelled();
        } catch (IOException e) {
            ending = new Ending(Outcome.LOCAL_ERROR, null, "cannot use the download folder " + folder + ": " + e);
        }
        bytesPerSecond = 0;
        state = DownloadState.FINISHED;
        DownloadResult result = new DownloadResult(ending.outcome(), ending.file(), ending.reason(), progress());
        log(result);
        return result;
    }

    private static void log(DownloadResult result) {
        if (result.completed()) {
            LOG.info("{}: {} ({})", result.file().getFileName(), result.reason(), result.progress());
        } else {
            LOG.warn("package not downloaded, {}: {} ({})", result.outcome(), result.reason(), result.progress());
        }
    }

    /** How {@link #download()} ended, before the final progress is attached. */
    private record Ending(Outcome outcome, Path file, String reason) {
    }

    private Ending download() throws IOException {
        state = DownloadState.CHECKING;
        if (isCancelled()) {
            return cancelled();
        }
        Optional<Ending> refusal = checkLimits();
        if (refusal.isPresent()) {
            return refusal.get();
        }
        if (alreadyInPlace()) {
            bytesDone = source.size();
            return new Ending(Outcome.COMPLETED, target, "already in place with the manifest's SHA-256");
        }
        return transferUntilVerified();
    }

    private Optional<Ending> checkLimits() throws IOException {
        long size = source.size();
        if (size > settings.maxPackageBytes()) {
            return Optional.of(new Ending(Outcome.TOO_LARGE, null, "the package is " + Sizes.format(size)
                    + ", " + size + " bytes, above the limit of " + Sizes.format(settings.maxPackageBytes()) + ", "
                    + settings.maxPackageBytes() + " bytes"));
        }
        Files.createDirectories(folder);
        long partLength = part.length();
        long alreadyHere = partLength <= size ? partLength : 0;
        long needed = size - alreadyHere + settings.freeSpaceMarginBytes();
        long usable = settings.freeSpace().usableBytes(folder);
        if (usable < needed) {
            return Optional.of(new Ending(Outcome.NO_SPACE, null, "not enough free space in " + folder + ": "
                    + Sizes.format(usable) + " usable, " + Sizes.format(needed) + " needed ("
                    + Sizes.format(size - alreadyHere) + " still to download + " + Sizes.format(
                    settings.freeSpaceMarginBytes()) + " margin); " + Sizes.format(needed - usable) + " ("
                    + (needed - usable) + " bytes) missing"));
        }
        return Optional.empty();
    }

    // A package downloaded by an earlier run whose result was lost (the box restarted after the rename).
    private boolean alreadyInPlace() throws IOException {
        return Files.isRegularFile(target) && Files.size(target) == source.size()
                && source.sha256().equals(PartFile.sha256(target, buffer, this::isCancelled));
    }

    private Ending transferUntilVerified() throws IOException {
        URI completedBy = null;
        while (true) {
            if (isCancelled()) {
                return cancelled();
            }
            long have = part.length();
            if (have > source.size()) {
                LOG.warn("{} holds {} bytes, more than the package's {}: starting again from zero", part.path(), have,
                        source.size());
                part.discard();
                have = 0;
            }
            if (have == source.size()) {
                Optional<Ending> verified = verify(completedBy);
                if (verified.isPresent()) {
                    return verified.get();
                }
                completedBy = null;
                continue;
            }
            if (!mirrors.hasUsable()) {
                return unavailable();
            }
            if (pastDeadline()) {
                return deadlinePassed("the deadline of " + settings.deadline() + " passed");
            }
            URI url = mirrors.current();
            Attempt attempt = attempt(url);
            if (attempt.kind() == Attempt.Kind.COMPLETE) {
                completedBy = url;
            } else {
                Optional<Ending> ending = handleFailure(url, attempt);
                if (ending.isPresent()) {
                    return ending.get();
                }
            }
        }
    }

    private Optional<Ending> handleFailure(URI url, Attempt attempt) throws IOException {
        if (attempt.kind() == Attempt.Kind.CANCELLED) {
            return Optional.of(cancelled());
        }
        lastError = url + ": " + attempt.reason();
        switch (attempt.kind()) {
            case DEADLINE:
                return Optional.of(deadlinePassed("the deadline of " + settings.deadline() + " passed"));
            case RESTART:
                LOG.warn("{}: {}; starting again from zero", url, attempt.reason());
                part.discard();
                bytesDone = 0;
                return Optional.empty();
            case REJECTED:
                LOG.warn("{}: {}; not trying this source again for {}", url, attempt.reason(), source.fileName());
                if (attempt.discardPart()) {
                    part.discard();
                    bytesDone = 0;
                }
                return mirrors.reject(url, attempt.reason(), false) ? pauseBeforeNextRound() : Optional.empty();
            default:
                if (attempt.movedBytes()) {
                    backoff.reset();
                }
                if (mirrors.failedForNow()) {
                    return pauseBeforeNextRound();
                }
                LOG.info("{}: {}; trying {} next", url, attempt.reason(), mirrors.current());
                return Optional.empty();
        }
    }

    /** Every usable source failed since the last pause: back off, then start a new round. */
    private Optional<Ending> pauseBeforeNextRound() {
        Duration pause = backoff.next();
        if (System.nanoTime() + pause.toNanos() - deadlineNanos >= 0) {
            return Optional.of(deadlinePassed("the next attempt, " + pause.toMillis() + " ms away, would start after"
                    + " the deadline of " + settings.deadline()));
        }
        LOG.info("{}; every source failed, next attempt in {} ms", lastError, pause.toMillis());
        state = DownloadState.WAITING_TO_RETRY;
        if (!pause(pause.toNanos())) {
            return Optional.of(cancelled());
        }
        mirrors.startRound();
        return Optional.empty();
    }

    private Optional<Ending> verify(URI completedBy) throws IOException {
        state = DownloadState.VERIFYING;
        bytesPerSecond = 0;
        String actual = part.sha256(buffer, this::isCancelled);
        if (actual == null) {
            return Optional.of(cancelled());
        }
        if (actual.equals(source.sha256())) {
            part.promote();
            return Optional.of(new Ending(Outcome.COMPLETED, target, "complete and verified"));
        }
        String reason = "the SHA-256 of the complete file" + (completedBy == null ? "" : " from " + completedBy)
                + " is " + actual + ", the manifest says " + source.sha256();
        LOG.warn("{}; deleting {}", reason, part.path());
        part.discard();
        bytesDone = 0;
        lastError = reason;
        if (completedBy != null) {
            mirrors.reject(completedBy, reason, true);
        }
        return Optional.empty();
    }

    // ---- one attempt: request, decide where the body goes, copy ----

    /** How one request ended. */
    private record Attempt(Kind kind, String reason, boolean movedBytes, boolean discardPart) {

        enum Kind {
            /** The {@code .part} holds the package's size. */
            COMPLETE,
            /** Worth trying again later (network, timeout, 408/429/5xx, cut mid-body). */
            TRANSIENT,
            /** The {@code .part} cannot be continued from this answer; start from zero at once. */
            RESTART,
            /** This source will not serve the package. */
            REJECTED,
            DEADLINE,
            CANCELLED
        }

        static Attempt complete() {
            return new Attempt(Kind.COMPLETE, "complete", true, false);
        }

        static Attempt transientFailure(String reason, boolean movedBytes) {
            return new Attempt(Kind.TRANSIENT, reason, movedBytes, false);
        }

        static Attempt of(Kind kind, String reason) {
            return new Attempt(kind, reason, false, false);
        }
    }

    /** Ends an attempt from deep in a call chain; carries no stack trace, it is not an error of this code. */
    private static final class AttemptFailed extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Attempt attempt;

        AttemptFailed(Attempt attempt) {
            super(attempt.reason(), null, false, false);
            this.attempt = attempt;
        }
    }

    private Attempt attempt(URI url) throws IOException {
        long offset = part.length();
        Optional<SourceValidator> validator = part.validator();
        currentUrl = url;
        attempts++;
        bytesDone = offset;
        state = DownloadState.REQUESTING;
        InputStream body = null;
        try {
            HttpResponse<InputStream> response = send(request(url, offset, validator));
            body = response.body();
            activeBody.set(body);
            if (isCancelled()) {
                return Attempt.of(Attempt.Kind.CANCELLED, "cancelled");
            }
            long start = startOffset(response, url, offset, validator);
            return copy(body, start);
        } catch (AttemptFailed failed) {
            return failed.attempt;
        } finally {
            activeBody.set(null);
            closeQuietly(body);
        }
    }

    private HttpRequest request(URI url, long offset, Optional<SourceValidator> validator) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().timeout(settings.readTimeout());
        if (offset > 0) {
            request.header("Range", "bytes=" + offset + "-");
            validator.filter(v -> v.url().equals(url)).flatMap(SourceValidator::ifRange)
                    .ifPresent(value -> request.header("If-Range", value));
        }
        return request.build();
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws AttemptFailed {
        CompletableFuture<HttpResponse<InputStream>> future =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        pendingResponse.set(future);
        try {
            if (isCancelled()) {
                future.cancel(true);
            }
            long wait = Math.min(settings.readTimeout().toNanos() + HEADER_WAIT_SLACK_NANOS,
                    Math.max(0, deadlineNanos - System.nanoTime()));
            return future.get(wait, TimeUnit.NANOSECONDS);
        } catch (CancellationException e) {
            abandon(future);
            throw new AttemptFailed(Attempt.of(Attempt.Kind.CANCELLED, "cancelled"));
        } catch (InterruptedException e) {
            // an interrupt of the downloading thread is a cancellation; the flag stays for the caller
            Thread.currentThread().interrupt();
            cancelRequested.countDown();
            abandon(future);
            throw new AttemptFailed(Attempt.of(Attempt.Kind.CANCELLED, "interrupted"));
        } catch (TimeoutException e) {
            abandon(future);
            throw new AttemptFailed(pastDeadline() ? Attempt.of(Attempt.Kind.DEADLINE, "deadline passed")
                    : Attempt.transientFailure("no response headers within " + settings.readTimeout(), false));
        } catch (ExecutionException e) {
            throw new AttemptFailed(Attempt.transientFailure(describe(e.getCause()), false));
        } finally {
            pendingResponse.set(null);
        }
    }

    // A response that arrives after we stopped waiting still holds a connection until its body is closed.
    private static void abandon(CompletableFuture<HttpResponse<InputStream>> future) {
        future.cancel(true);
        future.thenAccept(response -> closeQuietly(response.body()));
    }

    // The JDK's client often wraps the informative failure ("closed" around an EOFException, for example).
    private static String describe(Throwable failure) {
        String message = failure.getMessage() == null ? "" : ": " + failure.getMessage();
        String text = failure instanceof HttpTimeoutException ? "timed out" + message
                : failure.getClass().getSimpleName() + message;
        Throwable cause = failure.getCause();
        return cause == null || cause == failure ? text : text + " (" + describe(cause) + ")";
    }

    /**
     * Where the body of {@code response} goes in the {@code .part}: 0 for a whole file, {@code offset} for a range
     * that continues it.
     *
     * @throws AttemptFailed when the answer cannot be used
     */
    private long startOffset(HttpResponse<InputStream> response, URI url, long offset,
                             Optional<SourceValidator> validator) throws AttemptFailed, IOException {
        int status = response.statusCode();
        HttpHeaders headers = response.headers();
        if (status == 200) {
            return wholeFile(headers, url, offset, validator);
        }
        if (status == 206) {
            return continuedFile(headers, url, offset, validator);
        }
        if (status == 416) {
            throw new AttemptFailed(Attempt.of(Attempt.Kind.RESTART,
                    "416 Range Not Satisfiable for bytes=" + offset + "-"));
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw new AttemptFailed(Attempt.transientFailure("HTTP " + status, false));
        }
        throw new AttemptFailed(Attempt.of(Attempt.Kind.REJECTED, "HTTP " + status));
    }

    private long wholeFile(HttpHeaders headers, URI url, long offset, Optional<SourceValidator> validator)
            throws AttemptFailed, IOException {
        OptionalLong length = headers.firstValueAsLong("Content-Length");
        if (length.isPresent() && length.getAsLong() != source.size()) {
            throw new AttemptFailed(Attempt.of(Attempt.Kind.REJECTED, "serves " + length.getAsLong()
                    + " bytes, the manifest says " + source.size()));
        }
        if (offset > 0) {
            boolean askedIfRange = validator.filter(v -> v.url().equals(url)).flatMap(SourceValidator::ifRange)
                    .isPresent();
            LOG.warn("{} answered 200 to Range: bytes={}- ({}); restarting {} from zero", url, offset,
                    askedIfRange ? "the file changed since the .part was begun, or the server ignores ranges"
                            : "the server ignores ranges", source.fileName());
        }
        part.remember(SourceValidator.of(url, headers));
        return 0;
    }

    private long continuedFile(HttpHeaders headers, URI url, long offset, Optional<SourceValidator> validator)
            throws AttemptFailed, IOException {
        Optional<String> header = headers.firstValue("Content-Range");
        ContentRange range = ContentRange.parse(header).orElseThrow(() -> new AttemptFailed(Attempt.of(
                Attempt.Kind.REJECTED, "206 with an unusable Content-Range: " + header.orElse("(none)"))));
        if (range.completeLength() >= 0 && range.completeLength() != source.size()) {
            throw new AttemptFailed(Attempt.of(Attempt.Kind.REJECTED, "serves " + range.completeLength()
                    + " bytes, the manifest says " + source.size()));
        }
        if (range.first() != offset) {
            throw new AttemptFailed(Attempt.of(Attempt.Kind.RESTART, "asked for bytes=" + offset
                    + "-, the server sent Content-Range: " + header.get()));
        }
        boolean sameSource = validator.isPresent() && validator.get().url().equals(url);
        if (sameSource && validator.get().changedIn(headers)) {
            throw new AttemptFailed(Attempt.of(Attempt.Kind.RESTART, "the file changed on the server since the"
                    + " .part was begun (ETag/Last-Modified differ) although it answered the range"));
        }
        if (!sameSource) {
            part.remember(SourceValidator.of(url, headers));
        }
        if (offset > 0) {
            resumes++;
            LOG.info("{}: resuming {} at {} of {} ({})", url, source.fileName(), offset, source.size(),
                    Sizes.format(offset));
        }
        return offset;
    }

    /** Streams the body to the {@code .part} from {@code start}, paced and watched. */
    private Attempt copy(InputStream body, long start) throws AttemptFailed, IOException {
        state = DownloadState.TRANSFERRING;
        long done = start;
        bytesDone = done;
        long windowStart = System.nanoTime();
        long windowBytes = done;
        try (FileChannel channel = part.openAt(start);
             StallWatch watch = StallWatch.start(body, settings.readTimeout(), deadlineNanos)) {
            while (true) {
                int n = read(body, watch, done, start);
                if (n < 0) {
                    break;
                }
                if (done + n > source.size()) {
                    return new Attempt(Attempt.Kind.REJECTED, "sent more than the " + source.size()
                            + " bytes the manifest names", false, true);
                }
                if (!bucket.take(n)) {
                    return Attempt.of(Attempt.Kind.CANCELLED, "cancelled");
                }
                writeFully(channel, n);
                done += n;
                bytesDone = done;
                long now = System.nanoTime();
                if (now - windowStart >= RATE_WINDOW_NANOS) {
                    bytesPerSecond = (done - windowBytes) * 1_000_000_000L / (now - windowStart);
                    windowStart = now;
                    windowBytes = done;
                }
            }
        } finally {
            bytesPerSecond = 0;
        }
        if (done < source.size()) {
            return Attempt.transientFailure("the response ended after " + done + " of " + source.size() + " bytes",
                    done > start);
        }
        return Attempt.complete();
    }

    private int read(InputStream body, StallWatch watch, long done, long start) throws AttemptFailed {
        watch.readStarts();
        try {
            return body.read(buffer, 0, readLength());
        } catch (IOException e) {
            if (isCancelled()) {
                throw new AttemptFailed(Attempt.of(Attempt.Kind.CANCELLED, "cancelled"));
            }
            switch (watch.trip()) {
                case DEADLINE:
                    throw new AttemptFailed(Attempt.of(Attempt.Kind.DEADLINE, "deadline passed"));
                case STALLED:
                    throw new AttemptFailed(Attempt.transientFailure("no body bytes for "
                            + settings.readTimeout().toMillis() + " ms after " + done + " bytes (stalled)",
                            done > start));
                default:
                    throw new AttemptFailed(Attempt.transientFailure("connection lost after " + done + " of "
                            + source.size() + " bytes: " + describe(e), done > start));
            }
        } finally {
            watch.readEnded();
        }
    }

    // With a rate limit, reads of about a quarter second's worth keep the pace even instead of a buffer's burst
    // followed by a long pause.
    private int readLength() {
        long rate = settings.bytesPerSecond();
        return rate == 0 ? buffer.length : (int) Math.max(1024, Math.min(buffer.length, rate / 4));
    }

    private void writeFully(FileChannel channel, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    // ---- endings ----

    private Ending cancelled() {
        boolean discarded = false;
        if (discardOnCancel) {
            try {
                part.discard();
                bytesDone = 0;
                discarded = true;
            } catch (IOException e) {
                LOG.warn("cannot delete {} of a cancelled download: {}", part.path(), e.toString());
            }
        }
        return new Ending(Outcome.CANCELLED, null, "cancelled with " + bytesDone + " of " + source.size()
                + " bytes received; the .part was " + (discarded ? "deleted" : "kept"));
    }

    private Ending unavailable() {
        Outcome outcome = mirrors.checksumRejected() ? Outcome.CHECKSUM_MISMATCH : Outcome.UNAVAILABLE;
        return new Ending(outcome, null, "no source can deliver the package: " + mirrors.rejectionSummary());
    }

    private Ending deadlinePassed(String why) {
        return new Ending(Outcome.DEADLINE_PASSED, null, "gave up: " + why + "; " + attempts + " attempts, "
                + bytesDone + " of " + source.size()
                + " bytes in the .part (kept); last error: " + (lastError == null ? "none" : lastError));
    }

    private boolean pastDeadline() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    /** Sleeps unless cancelled; {@code false} if cancelled before or during the pause. */
    private boolean pause(long nanos) {
        try {
            return !cancelRequested.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelRequested.countDown();
            return false;
        }
    }

    private static void closeQuietly(InputStream stream) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // closing only releases the connection; nothing to recover
            }
        }
    }
}
