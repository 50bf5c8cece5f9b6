package io.linesight.fleet.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.linesight.fleet.agent.DownloadResult.Outcome;

/**
 * {@link PackageDownload} against a real nginx ({@link NginxServer}): whole and resumed downloads, outages,
 * mirrors, checksums, limits, pacing and cancellation. Package contents are seeded random bytes of a few MiB.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PackageDownloadTest {

    private static final int MIB = 1 << 20;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = PackageDownload.newHttpClient(Duration.ofSeconds(5));
    private static final ExecutorService RUNNER = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "download-under-test");
        thread.setDaemon(true);
        return thread;
    });

    /** Quick retries for tests; the real defaults pause from 1 s to 60 s. */
    private static final DownloadSettings QUICK = DownloadSettings.builder()
            .freeSpaceMarginBytes(MIB)
            .readTimeout(Duration.ofSeconds(10))
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
            .deadline(Duration.ofSeconds(50))
            .build();

    @TempDir
    Path downloads;

    private NginxServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @AfterAll
    static void stopRunner() {
        RUNNER.shutdownNow();
    }

    @Test
    void downloadsVerifiesAndRenamesAWholePackage() throws Exception {
        server = NginxServer.launch();
        byte[] content = publish("pkg.zip", 4 * MIB, 1);
        PackageDownload download = download(source("pkg.zip", content), QUICK);

        DownloadResult result = download.run();

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(download.target(), result.file());
        assertArrayEquals(content, Files.readAllBytes(result.file()));
        assertFalse(Files.exists(download.partFile()), "the .part is renamed, not copied");
        assertEquals(List.of(download.target()), listFolder(), "no working files left behind");
        DownloadProgress progress = result.progress();
        assertEquals(DownloadState.FINISHED, progress.state());
        assertEquals(100.0, progress.percent());
        assertEquals(1, progress.attempts());
        assertEquals(0, progress.resumes());
        NginxServer.Request request = server.awaitRequest(r -> r.path().equals("/pkg.zip"), WAIT);
        assertEquals(200, request.status());
        assertEquals("-", request.range());
        assertEquals(content.length, request.bodyBytesSent());
    }

    @Test
    void resumesFromTheByteItReachedWhenTheServerComesBack() throws Exception {
        server = NginxServer.launch("1m");
        byte[] content = publish("pkg.zip", 6 * MIB, 2);
        PackageDownload download = download(source("pkg.zip", content), QUICK);
        Future<DownloadResult> running = RUNNER.submit(download::run);

        await(download, p -> p.bytesDone() >= 2 * MIB, "2 MiB received at 1 MiB/s");
        server.stop();
        await(download, p -> p.attempts() >= 2 && p.state() == DownloadState.WAITING_TO_RETRY,
                "a failed attempt while the server is down");
        assertTrue(download.progress().bytesDone() >= 2 * MIB, "the .part survives the outage");
        server.limitRate(null);
        server.start();
        DownloadResult result = running.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(sha256(content), sha256(Files.readAllBytes(result.file())));
        assertTrue(result.progress().resumes() >= 1, result.progress().toString());
        NginxServer.Request resumed = server.awaitRequest(r -> r.status() == 206, WAIT);
        long from = resumed.rangeStart().orElseThrow(() -> new AssertionError("no Range: bytes=N- in " + resumed));
        assertTrue(from >= 2 * MIB && from < content.length, "resumed at " + from);
        assertEquals(content.length - from, resumed.bodyBytesSent(), "the 206 carried exactly the missing bytes");
        System.out.println("nginx access log of the resume: " + server.accessLog());
    }

    @Test
    void aStalledServerIsDetectedByTheReadTimeoutAndTheDownloadResumes() throws Exception {
        server = NginxServer.launch("1m");
        byte[] content = publish("pkg.zip", 3 * MIB, 3);
        DownloadSettings settings = QUICK.toBuilder().readTimeout(Duration.ofSeconds(1)).build();
        PackageDownload download = download(source("pkg.zip", content), settings);
        Future<DownloadResult> running = RUNNER.submit(download::run);

        await(download, p -> p.bytesDone() >= MIB, "1 MiB received");
        server.pause();
        try {
            await(download, p -> p.lastError() != null && p.lastError().contains("stalled"), "the stall noticed");
        } finally {
            server.resume();
        }
        DownloadResult result = running.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(sha256(content), sha256(Files.readAllBytes(result.file())));
        assertTrue(result.progress().resumes() >= 1, result.progress().toString());
    }

    @Test
    void aServerDownPastTheDeadlineFailsWithAReasonAndKeepsThePart() throws Exception {
        server = NginxServer.launch();
        byte[] content = publish("pkg.zip", 2 * MIB, 4);
        server.stop();
        PackageDownload download = download(source("pkg.zip", content), QUICK.toBuilder()
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(1)).deadline(Duration.ofSeconds(3)).build());
        Files.write(download.partFile(), Arrays.copyOf(content, MIB));

        DownloadResult result = download.run();

        assertEquals(Outcome.DEADLINE_PASSED, result.outcome(), result.reason());
        assertTrue(result.reason().contains("deadline of PT3S"), result.reason());
        assertTrue(result.reason().contains("ConnectException"), result.reason());
        assertNull(result.file());
        assertTrue(result.progress().attempts() >= 2, result.progress().toString());
        assertArrayEquals(Arrays.copyOf(content, MIB), Files.readAllBytes(download.partFile()), "the .part is kept");
        assertFalse(Files.exists(download.target()));
    }

    @Test
    void theNextUrlIsUsedWhenTheFirstAnswers404() throws Exception {
        server = NginxServer.launch();
        byte[] content = publish("pkg.zip", 2 * MIB, 5);
        URI missing = server.url("elsewhere/pkg.zip");
        URI present = server.url("pkg.zip");
        PackageSource source = new PackageSource(List.of(missing, present), "pkg.zip", content.length,
                sha256(content));
        PackageDownload download = download(source, QUICK);

        DownloadResult result = download.run();

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertArrayEquals(content, Files.readAllBytes(result.file()));
        assertEquals(present, result.progress().currentUrl());
        assertEquals(2, result.progress().attempts(), "no back-off and no second try of the 404");
        server.awaitRequest(r -> r.path().equals("/pkg.zip") && r.status() == 200, WAIT);
        assertEquals(List.of(404, 200), server.accessLog().stream().map(NginxServer.Request::status).toList());
    }

    @Test
    void aWrongSha256RefusesThePackageAndDeletesThePart() throws Exception {
        server = NginxServer.launch();
        byte[] content = publish("pkg.zip", 2 * MIB, 6);
        String otherSha256 = sha256(randomBytes(16, 99));
        PackageDownload download = download(
                PackageSource.of(server.url("pkg.zip"), "pkg.zip", content.length, otherSha256), QUICK);

        DownloadResult result = download.run();

        assertEquals(Outcome.CHECKSUM_MISMATCH, result.outcome(), result.reason());
        assertTrue(result.reason().contains(sha256(content)) && result.reason().contains(otherSha256),
                "both hashes named: " + result.reason());
        assertFalse(Files.exists(download.partFile()), "the garbage .part is deleted");
        assertFalse(Files.exists(download.target()));
        assertEquals(List.of(), listFolder());
        server.awaitRequest(r -> r.status() == 200, WAIT);
        assertEquals(1, server.accessLog().size(), "the source is not asked again: " + server.accessLog());
    }

    @Test
    void aPackageAboveTheMaximumIsRefusedBeforeAnyRequest() throws Exception {
        server = NginxServer.launch();
        byte[] content = publish("pkg.zip", MIB, 7);
        PackageDownload download = download(source("pkg.zip", content),
                QUICK.toBuilder().maxPackageBytes(content.length - 1).build());

        DownloadResult result = download.run();

        assertEquals(Outcome.TOO_LARGE, result.outcome(), result.reason());
        assertTrue(result.reason().contains("above the limit"), result.reason());
        assertEquals(0, result.progress().attempts());
        assertEquals(List.of(), server.accessLog());
        assertEquals(List.of(), listFolder());
    }

    @Test
    void tooLittleFreeSpaceIsRefusedBeforeAnyRequestSayingHowMuchIsMissing() throws Exception {
        server = NginxServer.launch();
        byte[] content = publish("pkg.zip", 4 * MIB, 8);
        long usable = 2 * MIB;
        PackageDownload download = download(source("pkg.zip", content),
                QUICK.toBuilder().freeSpace(folder -> usable).build());

        DownloadResult result = download.run();

        assertEquals(Outcome.NO_SPACE, result.outcome(), result.reason());
        long missing = content.length + MIB - usable;
        assertTrue(result.reason().contains("(" + missing + " bytes) missing"), result.reason());
        assertEquals(0, result.progress().attempts());
        assertEquals(List.of(), server.accessLog());
    }

    @Test
    void theBytesOfAnEarlierPartCountAsAlreadyDownloadedAndAreResumed() throws Exception {
        server = NginxServer.launch();
        byte[] content = publish("pkg.zip", 4 * MIB, 9);
        int kept = 3 * MIB;
        PackageDownload download = download(source("pkg.zip", content),
                QUICK.toBuilder().freeSpace(folder -> content.length - kept + MIB).build());
        Files.write(download.partFile(), Arrays.copyOf(content, kept));

        DownloadResult result = download.run();

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertArrayEquals(content, Files.readAllBytes(result.file()));
        NginxServer.Request request = server.awaitRequest(r -> true, WAIT);
        assertEquals(206, request.status());
        assertEquals("bytes=" + kept + "-", request.range());
    }

    @Test
    void aServerThatIgnoresRangesMakesItStartAgainFromZero() throws Exception {
        server = NginxServer.launch();
        server.maxRanges(0);
        server.restart();
        byte[] content = publish("pkg.zip", 2 * MIB, 10);
        PackageDownload download = download(source("pkg.zip", content), QUICK);
        Files.write(download.partFile(), randomBytes(MIB, 11));

        DownloadResult result = download.run();

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertArrayEquals(content, Files.readAllBytes(result.file()), "the foreign .part bytes were replaced");
        NginxServer.Request request = server.awaitRequest(r -> true, WAIT);
        assertEquals(200, request.status());
        assertEquals("bytes=" + MIB + "-", request.range());
        assertEquals(0, result.progress().resumes());
    }

    @Test
    void aFileChangedOnTheServerSinceThePartBeganIsFetchedWhole() throws Exception {
        server = NginxServer.launch();
        byte[] content = publish("pkg.zip", 2 * MIB, 12);
        PackageDownload download = download(source("pkg.zip", content), QUICK);
        Files.write(download.partFile(), randomBytes(MIB, 13));
        new PartFile(download.target()).remember(
                new SourceValidator(server.url("pkg.zip"), "\"an-older-version\"", null));

        DownloadResult result = download.run();

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertArrayEquals(content, Files.readAllBytes(result.file()));
        NginxServer.Request request = server.awaitRequest(r -> true, WAIT);
        assertEquals(200, request.status(), "If-Range with the old ETag gets the whole file");
        assertEquals("bytes=" + MIB + "-", request.range());
        assertEquals(List.of(download.target()), listFolder());
    }

    @Test
    void aPackageAlreadyInPlaceIsVerifiedAndNotFetchedAgain() throws Exception {
        server = NginxServer.launch();
        byte[] content = publish("pkg.zip", 2 * MIB, 17);
        assertEquals(Outcome.COMPLETED, download(source("pkg.zip", content), QUICK).run().outcome());
        server.awaitRequest(r -> r.status() == 200, WAIT);

        DownloadResult again = download(source("pkg.zip", content), QUICK).run();

        assertEquals(Outcome.COMPLETED, again.outcome(), again.reason());
        assertTrue(again.reason().contains("already in place"), again.reason());
        assertEquals(0, again.progress().attempts());
        assertEquals(1, server.accessLog().size(), "no second request: " + server.accessLog());
    }

    @Test
    void aSourceServingAnotherSizeIsRefusedFromItsHeaders() throws Exception {
        server = NginxServer.launch();
        byte[] content = publish("pkg.zip", MIB, 18);
        PackageDownload download = download(
                PackageSource.of(server.url("pkg.zip"), "pkg.zip", content.length + 1, sha256(content)), QUICK);

        DownloadResult result = download.run();

        assertEquals(Outcome.UNAVAILABLE, result.outcome(), result.reason());
        assertTrue(result.reason().contains("serves " + content.length + " bytes, the manifest says "
                + (content.length + 1)), result.reason());
        assertEquals(1, result.progress().attempts());
        assertEquals(List.of(), listFolder(), "nothing written");
    }

    @Test
    void aBodyLongerThanTheManifestSaysIsCutOffAndItsPartDeleted() throws Exception {
        server = NginxServer.launch();
        // a substitution filter makes nginx send the file without Content-Length (chunked), so only the bytes
        // themselves can show that the file is longer than the manifest says
        server.serverDirective("sub_filter_types *");
        server.serverDirective("sub_filter 'no-such-text' 'none'");
        server.restart();
        byte[] content = publish("pkg.zip", MIB, 19);
        int manifestSize = content.length - 64 * 1024;
        PackageDownload download = download(PackageSource.of(server.url("pkg.zip"), "pkg.zip", manifestSize,
                sha256(Arrays.copyOf(content, manifestSize))), QUICK);

        DownloadResult result = download.run();

        assertEquals(Outcome.UNAVAILABLE, result.outcome(), result.reason());
        assertTrue(result.reason().contains("sent more than the " + manifestSize + " bytes"), result.reason());
        assertEquals(List.of(), listFolder(), "the .part of another file is deleted");
    }

    @Test
    void theRateLimitPacesTheDownload() throws Exception {
        server = NginxServer.launch();
        byte[] content = publish("pkg.zip", 4 * MIB, 14);
        PackageDownload download = download(source("pkg.zip", content),
                QUICK.toBuilder().bytesPerSecond(MIB).build());

        long start = System.nanoTime();
        DownloadResult result = download.run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertArrayEquals(content, Files.readAllBytes(result.file()));
        // 4 MiB at 1 MiB/s with a quarter-second burst: 3.75 s at least; a lower bound only, the machine is shared
        assertTrue(took.toMillis() >= 3000, "took " + took);
        System.out.println("4 MiB at 1 MiB/s took " + took.toMillis() + " ms");
    }

    @Test
    void cancellingFromAnotherThreadStopsTheTransferAndKeepsThePart() throws Exception {
        server = NginxServer.launch("512k");
        byte[] content = publish("pkg.zip", 4 * MIB, 15);
        PackageDownload download = download(source("pkg.zip", content), QUICK);
        Future<DownloadResult> running = RUNNER.submit(download::run);

        await(download, p -> p.state() == DownloadState.TRANSFERRING && p.bytesDone() >= 256 * 1024,
                "256 KiB received");
        download.cancel(false);
        DownloadResult result = running.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertEquals(Outcome.CANCELLED, result.outcome(), result.reason());
        assertTrue(result.reason().contains("kept"), result.reason());
        long kept = Files.size(download.partFile());
        assertTrue(kept >= 256 * 1024 && kept < content.length, "the .part holds " + kept);
        assertEquals(result.progress().bytesDone(), kept);
        assertArrayEquals(Arrays.copyOf(content, (int) kept), Files.readAllBytes(download.partFile()));
        assertFalse(Files.exists(download.target()));
    }

    @Test
    void cancellingWithDiscardEndsABackOffAtOnceAndDeletesThePart() throws Exception {
        server = NginxServer.launch();
        byte[] content = publish("pkg.zip", 2 * MIB, 16);
        server.stop();
        // the first pause is 15 to 30 s: only the cancellation can end it within the wait below
        PackageDownload download = download(source("pkg.zip", content), QUICK.toBuilder()
                .backoff(Duration.ofSeconds(30), Duration.ofSeconds(60)).build());
        Files.write(download.partFile(), Arrays.copyOf(content, MIB));
        Future<DownloadResult> running = RUNNER.submit(download::run);

        await(download, p -> p.state() == DownloadState.WAITING_TO_RETRY, "a back-off after the refused connection");
        download.cancel(true);
        DownloadResult result = running.get(10, TimeUnit.SECONDS);

        assertEquals(Outcome.CANCELLED, result.outcome(), result.reason());
        assertTrue(result.reason().contains("deleted"), result.reason());
        assertEquals(List.of(), listFolder());
    }

    // ---- helpers ----

    private PackageDownload download(PackageSource source, DownloadSettings settings) {
        return new PackageDownload(CLIENT, source, downloads, settings);
    }

    private PackageSource source(String name, byte[] content) {
        return PackageSource.of(server.url(name), name, content.length, sha256(content));
    }

    private byte[] publish(String name, int size, long seed) throws IOException {
        byte[] content = randomBytes(size, seed);
        Files.write(server.root().resolve(name), content);
        return content;
    }

    private List<Path> listFolder() throws IOException {
        try (var files = Files.list(downloads)) {
            return files.sorted().toList();
        }
    }

    private static void await(PackageDownload download, Predicate<DownloadProgress> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.test(download.progress())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what + "; " + download.progress());
            }
            Thread.sleep(10);
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
