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

    PlcCounters snapshot() {
        return new PlcCounters(rejectsReceived.get(), pulsesSent.get(), rejectsMerged.get(), rejectsMissed.get(),
                resultsWritten.get(), resultsDropped.get(), writeErrors.get(), heartbeatsSent.get());
    }
}
