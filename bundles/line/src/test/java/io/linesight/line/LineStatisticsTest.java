package io.linesight.line;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.Verdict;
import org.junit.jupiter.api.Test;

class LineStatisticsTest {

    @Test
    void countsVerdictsAndDropsAndResets() {
        LineStatistics s = new LineStatistics();
        s.recordInspection(Verdict.PASS, 1, 1);
        s.recordInspection(Verdict.REJECT, 1, 2);
        s.recordInspection(Verdict.REVIEW, 1, 3);
        s.recordDrop(DropCause.OVERRUN);
        s.recordDrop(DropCause.OVERRUN);
        assertEquals(3, s.counters().inspected());
        assertEquals(2L, s.counters().dropped().get(DropCause.OVERRUN));
        assertEquals(0L, s.counters().dropped().get(DropCause.NO_MODEL));
        s.reset();
        assertEquals(0, s.counters().inspected() + s.counters().droppedTotal());
    }

    @Test
    void frameRateFromCompletionTimesAndZeroWhenStale() {
        LineStatistics s = new LineStatistics();
        long t = 1_000_000_000L;
        for (int i = 0; i < 11; i++) {
            s.recordInspection(Verdict.PASS, 1, t + i * 100_000_000L); // 10 per second
        }
        assertEquals(10.0, s.framesPerSecond(t + 1_000_000_000L), 1e-9);
        assertEquals(0.0, s.framesPerSecond(t + 60_000_000_000L));
    }

    @Test
    void percentilesUseNearestRank() {
        LineStatistics s = new LineStatistics();
        for (int ms = 1; ms <= 100; ms++) {
            s.recordInspection(Verdict.PASS, ms * 1_000_000L, ms);
        }
        assertEquals(50.0, s.latencyPercentileMs(50), 1e-9);
        assertEquals(95.0, s.latencyPercentileMs(95), 1e-9);
    }

    /** Issue 16 item 14: an int position overflowed after 2^31 inspections (248 days at 100 fps). */
    @Test
    void keepsCountingPastTheIntLimit() {
        LineStatistics s = new LineStatistics(Integer.MAX_VALUE - 100L); // the window position crosses the limit
        long t = 1_000_000_000L;
        for (int i = 0; i < 300; i++) {
            s.recordInspection(Verdict.PASS, (i + 1) * 1_000_000L, t + i * 100_000_000L);
        }
        assertEquals(300, s.counters().inspected());
        assertEquals(10.0, s.framesPerSecond(t + 29_900_000_000L), 1e-6);
        assertEquals(300.0, s.latencyPercentileMs(100), 1e-9); // the window holds the last 256: 45..300 ms
        assertEquals(45.0, s.latencyPercentileMs(0), 1e-9);
    }
}
