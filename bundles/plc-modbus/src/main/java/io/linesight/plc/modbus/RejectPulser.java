package io.linesight.plc.modbus;

import com.digitalpetri.modbus.requests.WriteSingleCoilRequest;
import io.linesight.api.inspection.InspectionEvent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns REJECT verdicts into reject-coil pulses timed to the ejector: ON at
 * {@code captureNanos + ejectDelayMs} on the monotonic clock, OFF {@code pulseWidthMs} later. A verdict
 * that arrives more than {@code ejectToleranceMs} after its eject instant is not pulsed (the part has
 * passed the ejector) but counted as missed. With {@code ejectDelayMs = 0} the pulse goes out as soon as
 * the verdict arrives and lateness is not judged.
 *
 * <p>Overlapping rejects extend the running pulse instead of cutting it short: the coil goes OFF when
 * the last of them ends. Pending ejects are bounded ({@value #MAX_PENDING_EJECTS}); beyond that a reject
 * is counted as missed. {@link #reject} runs on the line's thread and only schedules; the pulses run on
 * the {@link TimerThread}.
 */
final class RejectPulser {

    static final int MAX_PENDING_EJECTS = 256;
    private static final Logger LOG = LoggerFactory.getLogger(RejectPulser.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final PlcSettings settings;
    private final TimerThread timer;
    private final ModbusLink link;
    private final Counters counters;
    private final AtomicInteger pendingEjects = new AtomicInteger();
    private final AtomicLong lastMissWarnNanos = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
    private int activePulses;

    RejectPulser(PlcSettings settings, TimerThread timer, ModbusLink link, Counters counters) {
        this.settings = settings;
        this.timer = timer;
        this.link = link;
        this.counters = counters;
    }

    /** Line thread: schedules the pulse for this REJECT, or counts it as missed. Returns at once. */
    void reject(InspectionEvent event) {
        counters.rejectsReceived.incrementAndGet();
        long ejectAtNanos = event.captureNanos() + TimeUnit.MILLISECONDS.toNanos(settings.ejectDelayMs());
        long lateNanos = System.nanoTime() - ejectAtNanos;
        if (isTooLate(lateNanos)) {
            missed(event, "verdict " + TimeUnit.NANOSECONDS.toMillis(lateNanos) + " ms after the eject instant");
        } else if (pendingEjects.incrementAndGet() > MAX_PENDING_EJECTS) {
            pendingEjects.decrementAndGet();
            missed(event, MAX_PENDING_EJECTS + " ejects already pending");
        } else {
            timer.after(() -> fire(event, ejectAtNanos), Math.max(0, -lateNanos), TimeUnit.NANOSECONDS);
        }
    }

    /** Timer thread, after a (re)connect: a coil left ON by a broken connection goes OFF. */
    void connected() {
        if (activePulses == 0) {
            link.send(new WriteSingleCoilRequest(settings.rejectCoil(), false));
        }
    }

    /** Deactivation, after the timer stopped: the ejector must not stay ON. */
    void forceOff() {
        if (link.state() == ConnectionState.CONNECTED) {
            link.sendAndWait(new WriteSingleCoilRequest(settings.rejectCoil(), false));
        }
    }

    private boolean isTooLate(long lateNanos) {
        return settings.ejectDelayMs() > 0 && lateNanos > TimeUnit.MILLISECONDS.toNanos(settings.ejectToleranceMs());
    }

    private void fire(InspectionEvent event, long ejectAtNanos) {
        pendingEjects.decrementAndGet();
        long lateNanos = System.nanoTime() - ejectAtNanos;
        if (isTooLate(lateNanos)) {
            missed(event, "eject timer " + TimeUnit.NANOSECONDS.toMillis(lateNanos) + " ms late");
        } else if (link.state() != ConnectionState.CONNECTED) {
            missed(event, "PLC at " + settings.endpoint() + " not connected");
        } else if (activePulses++ > 0) {
            counters.rejectsMerged.incrementAndGet();
            LOG.debug("reject {}#{} extends the running pulse", event.lineId(), event.sequence());
            timer.after(this::release, settings.pulseWidthMs(), TimeUnit.MILLISECONDS);
        } else {
            switchOn(event);
            timer.after(this::release, settings.pulseWidthMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void switchOn(InspectionEvent event) {
        link.send(new WriteSingleCoilRequest(settings.rejectCoil(), true)).whenComplete((answer, error) -> {
            if (error == null) {
                counters.pulsesSent.incrementAndGet();
                LOG.debug("reject {}#{}: coil {} ON", event.lineId(), event.sequence(), settings.rejectCoil());
            } else {
                missed(event, "coil write failed: " + ModbusLink.describe(error));
            }
        });
    }

    private void release() {
        if (--activePulses == 0) {
            link.send(new WriteSingleCoilRequest(settings.rejectCoil(), false));
        }
    }

    private void missed(InspectionEvent event, String why) {
        long missed = counters.rejectsMissed.incrementAndGet();
        long now = System.nanoTime();
        long last = lastMissWarnNanos.get();
        // one WARN per interval at most: a model that is always too slow must not flood the log
        if (now - last >= WARN_INTERVAL_NANOS && lastMissWarnNanos.compareAndSet(last, now)) {
            LOG.warn("Missed reject {}#{} on coil {}: {} ({} missed so far)", event.lineId(), event.sequence(),
                    settings.rejectCoil(), why, missed);
        } else {
            LOG.debug("Missed reject {}#{}: {}", event.lineId(), event.sequence(), why);
        }
    }
}
