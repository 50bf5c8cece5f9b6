package io.linesight.plc.modbus;

import java.util.concurrent.atomic.AtomicLong;

/** The live counters behind {@link PlcCounters}; incremented from any thread. */
final class Counters {

    final AtomicLong rejectsReceived = new AtomicLong();
    final AtomicLong pulsesSent = new AtomicLong();
    final AtomicLong rejectsMerged = new AtomicLong();
    final AtomicLong rejectsMissed = new AtomicLong();
    final AtomicLong resultsWritten = new AtomicLong();
    final AtomicLong resultsDropped = new AtomicLong();
    final AtomicLong writeErrors = new AtomicLong();
    final AtomicLong heartbeatsSent = new AtomicLong();
    final AtomicLong connects = new AtomicLong();
    final AtomicLong outages = new AtomicLong();
    final AtomicLong heartbeatGaps = new AtomicLong();
    final AtomicLong heartbeatGapLastMs = new AtomicLong();
    final AtomicLong heartbeatGapMaxMs = new AtomicLong();

    /** A heartbeat was acknowledged {@code gapMs} after the previous one, longer than the PLC may wait. */
    void heartbeatGap(long gapMs) {
        heartbeatGaps.incrementAndGet();
        heartbeatGapLastMs.set(gapMs);
        heartbeatGapMaxMs.accumulateAndGet(gapMs, Math::max);
    }

    PlcCounters snapshot() {
        return new PlcCounters(rejectsReceived.get(), pulsesSent.get(), rejectsMerged.get(), rejectsMissed.get(),
                resultsWritten.get(), resultsDropped.get(), writeErrors.get(), heartbeatsSent.get(), connects.get(),
                outages.get(), heartbeatGaps.get(), heartbeatGapLastMs.get(), heartbeatGapMaxMs.get());
    }
}
