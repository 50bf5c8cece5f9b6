package io.linesight.camera.javacv;

import static io.linesight.camera.javacv.StreamClock.Freshness.AFTER_STALL;
import static io.linesight.camera.javacv.StreamClock.Freshness.FIRST;
import static io.linesight.camera.javacv.StreamClock.Freshness.LIVE;
import static io.linesight.camera.javacv.StreamClock.Freshness.REPEATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.camera.javacv.StreamClock.Reading;
import org.junit.jupiter.api.Test;

/** Which pictures are live and when they were taken: pure arithmetic, times in, no natives, no network. */
class StreamClockTest {

    private static final long STALL_MS = 2_000;
    /** 15 fps, as the RTSP test camera sends (RTP 90 kHz timestamps, rounded to microseconds by JavaCV). */
    private static final long PERIOD_MICROS = 66_666;
    /** An arbitrary origin of the monotonic clock. */
    private static final long T0 = 5_000_000_000L;
    /** The steady encode, network and decode delay of the camera in these tests. */
    private static final long LATENCY_NANOS = 40_000_000;

    private final StreamClock clock = new StreamClock(STALL_MS, true);

    @Test
    void theFirstPictureOfAConnectionOnlySetsTheStartingPoint() {
        Reading first = clock.next(0, T0);
        assertEquals(FIRST, first.freshness());
        assertEquals(T0, first.captureNanos());
        assertEquals(LIVE, clock.next(PERIOD_MICROS, T0 + ms(67)).freshness());
    }

    @Test
    void aSteadyStreamWithJitterIsLiveAndStampedAtItsOwnPaceNeverAfterArrival() {
        long[] jitterMs = {0, 12, 3, 25, 1, 0, 18, 7, 0, 30};
        clock.next(0, camera(0) + ms(jitterMs[0]));
        for (int i = 1; i < 300; i++) {
            long arrival = camera(i) + ms(jitterMs[i % jitterMs.length]);
            Reading reading = clock.next(i * PERIOD_MICROS, arrival);
            assertEquals(LIVE, reading.freshness(), "picture " + i);
            assertTrue(reading.captureNanos() <= arrival, "picture " + i + " stamped after it arrived");
            // the least delayed picture sets the offset: capture times follow the camera's pace plus the steady
            // latency; up to 30 ms of jitter reaches them as at most 1 % of a period per late picture in a row
            long errorNanos = reading.captureNanos() - camera(i);
            assertTrue(errorNanos >= 0 && errorNanos <= 3 * 670_000L, "picture " + i + " off by " + errorNanos + " ns");
        }
    }

    @Test
    void aPictureHeldBackThroughAFreezeIsNotLiveAndKeepsTheTimeItWasTaken() {
        // as measured against GStreamer's RTSP server stopped with SIGSTOP: the last picture before the freeze
        // comes out 2.1 s later, when FFmpeg's read times out and its H.264 parser lets go of it
        streamFor(45);
        long heldBackPts = 45 * PERIOD_MICROS;
        long arrival = camera(44) + ms(2_146);
        Reading heldBack = clock.next(heldBackPts, arrival);
        assertEquals(AFTER_STALL, heldBack.freshness());
        assertEquals(camera(45), heldBack.captureNanos(), ms(1), "taken one period after the last live picture, not at arrival");
        assertEquals(AFTER_STALL, clock.next(heldBackPts + PERIOD_MICROS, arrival + ms(10)).freshness(),
                "nothing on a stalled connection is live again");
    }

    @Test
    void aPictureJustInsideTheStallTimeoutIsStillLiveAndStampedWhenItWasTaken() {
        streamFor(10);
        Reading late = clock.next(10 * PERIOD_MICROS, camera(9) + ms(STALL_MS - 100));
        assertEquals(LIVE, late.freshness());
        assertEquals(camera(10), late.captureNanos(), ms(1), "stamped when it was taken, not ~2 s later when it came");
    }

    @Test
    void aPictureJustPastTheStallTimeoutAfterTheLastLiveOneIsNot() {
        streamFor(10);
        assertEquals(AFTER_STALL, clock.next(10 * PERIOD_MICROS, camera(9) + ms(STALL_MS + 1)).freshness());
    }

    @Test
    void aBacklogAfterANetworkHiccupIsDeliveredWithTheTimesThePicturesWereTaken() {
        streamFor(30);
        long hiccupEnd = camera(29) + ms(1_500);
        for (int i = 30; i < 53; i++) {
            Reading reading = clock.next(i * PERIOD_MICROS, hiccupEnd + ms(3L * (i - 30)));
            assertEquals(LIVE, reading.freshness(), "picture " + i);
            // the offset may rise by 1 % of the pts elapsed per picture: 0.67 ms each
            long errorNanos = reading.captureNanos() - camera(i);
            assertTrue(errorNanos >= 0 && errorNanos <= (i - 29) * 670_000L, "picture " + i + " stamped " + errorNanos + " ns late");
        }
    }

    @Test
    void aRepeatedTimestampIsNotLiveAndDoesNotHoldOffTheStall() {
        streamFor(20);
        long frozenPts = 19 * PERIOD_MICROS;
        for (int i = 20; i < 40; i++) {
            assertEquals(REPEATED, clock.next(frozenPts, camera(i)).freshness(), "picture " + i);
        }
        assertEquals(AFTER_STALL, clock.next(20 * PERIOD_MICROS, camera(19) + ms(STALL_MS + 1)).freshness(),
                "repeated for longer than the stall timeout: the stream stalled, a new picture does not revive it");
    }

    @Test
    void aTimestampSlightlyBehindIsARepeatFarBehindIsANewTimeline() {
        streamFor(60);
        assertEquals(REPEATED, clock.next(30 * PERIOD_MICROS, camera(60)).freshness(), "2 s back: within the stall timeout");
        Reading restart = clock.next(0, camera(61));
        assertEquals(FIRST, restart.freshness(), "4 s back: a camera that restarted its encoder starts a new timeline");
        Reading next = clock.next(PERIOD_MICROS, camera(62));
        assertEquals(LIVE, next.freshness());
        assertEquals(camera(62), next.captureNanos());
    }

    @Test
    void aCameraClockRunningSlowerThanOursIsFollowed() {
        // a camera stamping 30 fps (33 333 us) while it really delivers 29.97 fps: 0.1 % slow, for 10 minutes
        long realPeriodNanos = 33_366_700;
        clock.next(0, T0);
        long worstLagNanos = 0;
        for (int i = 1; i < 18_000; i++) {
            long arrival = T0 + i * realPeriodNanos;
            Reading reading = clock.next(i * 33_333L, arrival);
            assertEquals(LIVE, reading.freshness(), "picture " + i);
            worstLagNanos = Math.max(worstLagNanos, arrival - reading.captureNanos());
        }
        assertTrue(worstLagNanos < ms(1), "capture time fell " + worstLagNanos + " ns behind arrival");
    }

    @Test
    void picturesFallingFurtherAndFurtherBehindStallOnceTheyAreAStallTimeoutOld() {
        // a camera clock 5 % slow (or a decoder that cannot keep up): pictures keep coming, but ever later
        clock.next(0, T0);
        long realPeriodNanos = PERIOD_MICROS * 1_000 * 100 / 95;
        int i = 1;
        Reading reading = clock.next(PERIOD_MICROS, T0 + realPeriodNanos);
        while (reading.live()) {
            i++;
            reading = clock.next(i * PERIOD_MICROS, T0 + i * realPeriodNanos);
        }
        assertEquals(AFTER_STALL, reading.freshness());
        long behindNanos = T0 + i * realPeriodNanos - reading.captureNanos();
        assertTrue(behindNanos > ms(STALL_MS) && behindNanos < ms(STALL_MS + 100), "stalled when " + behindNanos + " ns behind");
        // 4 % per second net of the 1 % the offset follows: 2 s behind after about 50 s
        assertEquals(50, i * realPeriodNanos / ms(1_000), 3);
    }

    @Test
    void aCameraClockRunningFasterThanOursNeverStampsThePicturesAfterTheyArrive() {
        clock.next(0, T0);
        for (int i = 1; i < 1_000; i++) {
            long arrival = T0 + i * 66_000_000L;
            Reading reading = clock.next(i * PERIOD_MICROS, arrival);
            assertEquals(LIVE, reading.freshness());
            assertEquals(arrival, reading.captureNanos());
        }
    }

    @Test
    void theBurstOfPicturesReadWhileFfmpegProbedTheStreamIsStampedWithArrivalTimes() {
        // FFmpeg analyses 0.5 s before the first picture, then hands over what it buffered at once
        long burstStart = camera(0) + ms(500);
        clock.next(0, burstStart);
        long previous = burstStart;
        for (int i = 1; i < 8; i++) {
            long arrival = burstStart + ms(2L * i);
            Reading reading = clock.next(i * PERIOD_MICROS, arrival);
            assertEquals(LIVE, reading.freshness());
            assertTrue(reading.captureNanos() <= arrival && reading.captureNanos() >= previous, "picture " + i);
            previous = reading.captureNanos();
        }
    }

    @Test
    void withoutACameraClockTheCaptureTimeIsTheArrivalAndRepeatsStillDoNotCount() {
        StreamClock mjpeg = new StreamClock(STALL_MS, false);
        mjpeg.next(0, T0);
        // FFmpeg numbers multipart MJPEG parts at an assumed 25 fps; this camera sends 15
        Reading second = mjpeg.next(40_000, T0 + ms(67));
        assertEquals(LIVE, second.freshness());
        assertEquals(T0 + ms(67), second.captureNanos());
        assertEquals(REPEATED, mjpeg.next(40_000, T0 + ms(133)).freshness());
        assertEquals(AFTER_STALL, mjpeg.next(80_000, T0 + ms(67) + ms(STALL_MS + 100)).freshness());
    }

    /** Feeds pictures 0 .. count-1 arriving on the camera's pace. */
    private void streamFor(int count) {
        clock.next(0, camera(0));
        for (int i = 1; i < count; i++) {
            assertEquals(LIVE, clock.next(i * PERIOD_MICROS, camera(i)).freshness());
        }
    }

    /** When picture {@code i} arrives without any extra delay. */
    private static long camera(long i) {
        return T0 + LATENCY_NANOS + i * PERIOD_MICROS * 1_000;
    }

    private static long ms(long millis) {
        return millis * 1_000_000;
    }
}
