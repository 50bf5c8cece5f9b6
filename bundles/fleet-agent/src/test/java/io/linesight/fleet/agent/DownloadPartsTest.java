package io.linesight.fleet.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The pieces of {@link PackageDownload} that need no server: back-off, ranges, mirrors, pacing, manifest values. */
class DownloadPartsTest {

    private static final URI A = URI.create("http://a.example/p.zip");
    private static final URI B = URI.create("http://b.example/p.zip");
    private static final URI C = URI.create("http://c.example/p.zip");

    @Test
    void backoffDoublesWithJitterUpToItsCapAndStartsOverAfterAReset() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        long[] ceilings = {1, 2, 4, 8, 16, 32, 60, 60, 60};
        for (int round = 0; round < 3; round++) {
            for (long ceiling : ceilings) {
                long millis = backoff.next().toMillis();
                assertTrue(millis >= ceiling * 500 && millis <= ceiling * 1000, millis + " ms for " + ceiling + " s");
            }
            backoff.reset();
        }
    }

    @Test
    void contentRangeIsParsedAndOddFormsAreRefused() {
        assertEquals(Optional.of(new ContentRange(100, 199, 200)),
                ContentRange.parse(Optional.of("bytes 100-199/200")));
        assertEquals(Optional.of(new ContentRange(5, 9, -1)), ContentRange.parse(Optional.of("bytes 5-9/*")));
        assertEquals(Optional.empty(), ContentRange.parse(Optional.empty()));
        assertEquals(Optional.empty(), ContentRange.parse(Optional.of("bytes */200")));
        assertEquals(Optional.empty(), ContentRange.parse(Optional.of("bytes 9-5/200")));
        assertEquals(Optional.empty(), ContentRange.parse(Optional.of("items 1-2/3")));
    }

    @Test
    void mirrorsAreTriedInOrderAndARoundEndsWhenEveryUsableOneFailed() {
        Mirrors mirrors = new Mirrors(List.of(A, B, C));
        assertEquals(A, mirrors.current());
        assertFalse(mirrors.failedForNow(), "B has not been tried");
        assertEquals(B, mirrors.current());
        assertFalse(mirrors.reject(B, "HTTP 404", false), "C has not been tried");
        assertEquals(C, mirrors.current());
        assertTrue(mirrors.failedForNow(), "A and C failed, B is out: pause");
        assertEquals(A, mirrors.current());
        mirrors.startRound();
        assertEquals(A, mirrors.current(), "a new round starts with the most preferred usable source");
        mirrors.reject(A, "sha256 differs", true);
        mirrors.reject(C, "HTTP 403", false);
        assertFalse(mirrors.hasUsable());
        assertTrue(mirrors.checksumRejected());
        assertTrue(mirrors.rejectionSummary().contains(B + ": HTTP 404"), mirrors.rejectionSummary());
    }

    @Test
    void theTokenBucketPausesForTheDebtBeyondAQuarterSecondBurst() {
        List<Long> pauses = new ArrayList<>();
        TokenBucket bucket = new TokenBucket(1 << 20, nanos -> pauses.add(nanos) || true);
        assertTrue(bucket.take(256 << 10), "the burst is free");
        assertTrue(bucket.take(1 << 20));
        assertEquals(1, pauses.size());
        // 1 MiB owed at 1 MiB/s, less what accrued in the microseconds between the two takes
        assertTrue(pauses.get(0) > 900_000_000L && pauses.get(0) <= 1_000_000_000L, pauses.get(0) + " ns");
        TokenBucket unlimited = new TokenBucket(0, nanos -> false);
        assertTrue(unlimited.take(Long.MAX_VALUE), "0 = unlimited never pauses");
    }

    @Test
    void aCancelledPauseEndsTheTake() {
        TokenBucket bucket = new TokenBucket(1024, nanos -> false);
        assertFalse(bucket.take(1 << 20));
    }

    @Test
    void manifestValuesThatCannotDescribeAPackageAreRefused() {
        String sha = "A".repeat(64);
        assertEquals("a".repeat(64), PackageSource.of(A, "p.zip", 1, sha).sha256(), "stored in lower case");
        assertThrows(IllegalArgumentException.class, () -> PackageSource.of(A, "../p.zip", 1, sha));
        assertThrows(IllegalArgumentException.class, () -> PackageSource.of(A, "p.zip.part", 1, sha));
        assertThrows(IllegalArgumentException.class,
                () -> PackageSource.of(URI.create("file:///etc/passwd"), "p.zip", 1, sha));
        assertThrows(IllegalArgumentException.class, () -> PackageSource.of(A, "p.zip", 0, sha));
        assertThrows(IllegalArgumentException.class, () -> PackageSource.of(A, "p.zip", 1, "abc"));
        assertThrows(IllegalArgumentException.class, () -> new PackageSource(List.of(), "p.zip", 1, sha));
    }
}
