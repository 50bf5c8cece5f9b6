package io.linesight.plc.modbus;

import com.digitalpetri.modbus.requests.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.requests.WriteSingleCoilRequest;
import io.linesight.api.inspection.InspectionEvent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns REJECT verdicts into reject-coil pulses timed to the ejector: ON at
 * {@code captureNanos + ejectDelayMs} on the monotonic clock, OFF {@code pulseWidthMs} later. A verdict
 * that arrives more than {@code ejectToleranceMs} after its eject instant is not pulsed (the part has
 * passed the ejector) but counted as missed; so is a reject whose eject instant comes while the PLC is
 * unreachable: nothing is sent late. With {@code ejectDelayMs = 0} the pulse goes out as soon as the
 * verdict arrives and lateness is not judged.
 *
 * <p>Timing: each switch (ON and OFF) is prepared on the timer thread {@link ModbusLink#LEAD_NANOS} before
 * its instant and written by the link's network thread at the instant ({@link ModbusLink#runAt}), so
 * thread wake-ups do not add to the lateness. Whether a reject is pulsed, merged or missed is decided at
 * that preparation, with the link state of that moment.
 *
 * <p>With a {@code partIdRegister}, the frame's sequence number is written there just before each rising
 * edge: at the preparation, on the same connection, so the PLC has it when it sees the edge. Overlapping rejects extend the running
 * pulse instead of cutting it short: the coil goes OFF when the last of them ends (no new edge, no part id
 * write). Pending ejects are bounded ({@value #MAX_PENDING_EJECTS}); beyond that a reject is counted as
 * missed. {@link #reject} runs on the line's thread and only schedules; the pulses run on the
 * {@link TimerThread}.
 */
final class RejectPulser {

    static final int MAX_PENDING_EJECTS = 256;
    private static final Logger LOG = LoggerFactory.getLogger(RejectPulser.class);

    private final PlcSettings settings;
    private final TimerThread timer;
    private final ModbusLink link;
    private final Counters counters;
    private final Alarms alarms;
    private final AtomicInteger pendingEjects = new AtomicInteger();
    private int activePulses;

    RejectPulser(PlcSettings settings, TimerThread timer, ModbusLink link, Counters counters, Alarms alarms) {
        this.settings = settings;
        this.timer = timer;
        this.link = link;
        this.counters = counters;
        this.alarms = alarms;
    }

    /** Line thread: schedules the pulse for this REJECT, or counts it as missed. Returns at once. */
    void reject(InspectionEvent event) {
        counters.rejectsReceived.incrementAndGet();
        long ejectAtNanos = event.captureNanos() + TimeUnit.MILLISECONDS.toNanos(settings.ejectDelayMs());
        long lateNanos = System.nanoTime() - ejectAtNanos;
        if (isTooLate(lateNanos)) {
            missed(event, MissReason.LATE_VERDICT, "verdict " + TimeUnit.NANOSECONDS.toMillis(lateNanos)
                    + " ms after the eject instant (tolerance " + settings.ejectToleranceMs() + " ms)");
        } else if (pendingEjects.incrementAndGet() > MAX_PENDING_EJECTS) {
            pendingEjects.decrementAndGet();
            missed(event, MissReason.QUEUE_FULL, MAX_PENDING_EJECTS + " ejects already pending");
        } else {
            timer.soon(() -> prepareAt(event, ejectAtNanos));
        }
    }

    /** Line thread: a REJECT this output must not pulse because it does not know whose part it is; counted as missed. */
    void notDriven(InspectionEvent event, String why) {
        counters.rejectsReceived.incrementAndGet();
        missed(event, MissReason.LINES_AMBIGUOUS, why);
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

    /** Timer thread: schedules the preparation of the pulse. */
    private void prepareAt(InspectionEvent event, long ejectAtNanos) {
        long prepareIn = Math.max(0, ejectAtNanos - ModbusLink.LEAD_NANOS - System.nanoTime());
        timer.after(() -> fire(event, ejectAtNanos), prepareIn, TimeUnit.NANOSECONDS);
    }

    /** Timer thread, {@link ModbusLink#LEAD_NANOS} before the eject instant. */
    private void fire(InspectionEvent event, long ejectAtNanos) {
        pendingEjects.decrementAndGet();
        long now = System.nanoTime();
        long lateNanos = now - ejectAtNanos;
        if (isTooLate(lateNanos)) {
            missed(event, MissReason.TIMER_LATE, "eject timer " + TimeUnit.NANOSECONDS.toMillis(lateNanos) + " ms late");
        } else if (link.state() != ConnectionState.CONNECTED) {
            missed(event, MissReason.PLC_DISCONNECTED, "PLC at " + settings.endpoint()
                    + " not connected at the eject instant");
        } else if (activePulses++ > 0) {
            counters.rejectsMerged.incrementAndGet();
            LOG.debug("reject {}#{} extends the running pulse", event.lineId(), event.sequence());
            releaseLater(Math.max(ejectAtNanos, now));
        } else {
            // the part id goes first, at preparation: sends leave the network thread in the order they are
            // handed over, so it still precedes the edge without delaying the timed write
            writePartId(event);
            link.runAt(ejectAtNanos, () -> switchOn(event));
            releaseLater(Math.max(ejectAtNanos, now));
        }
    }

    /** Schedules the end of a pulse that starts at {@code onAtNanos}. */
    private void releaseLater(long onAtNanos) {
        long offAtNanos = onAtNanos + TimeUnit.MILLISECONDS.toNanos(settings.pulseWidthMs());
        long prepareIn = Math.max(0, offAtNanos - ModbusLink.LEAD_NANOS - System.nanoTime());
        timer.after(() -> release(offAtNanos), prepareIn, TimeUnit.NANOSECONDS);
    }

    private void writePartId(InspectionEvent event) {
        if (!settings.hasPartIdRegister()) {
            return;
        }
        int[] words = settings.wordOrder().words(event.sequence());
        link.send(new WriteMultipleRegistersRequest(settings.partIdRegister(), 2, ResultRegisters.toBytes(words)))
                .whenComplete((answer, error) -> {
                    if (error == null) {
                        alarms.accepted("partIdRegister");
                    } else if (Alarms.isRefusal(error)) {
                        alarms.refused("partIdRegister", "holding registers " + settings.partIdRegister() + ".."
                                + (settings.partIdRegister() + 1), error);
                    }
                });
    }

    private void switchOn(InspectionEvent event) {
        link.send(new WriteSingleCoilRequest(settings.rejectCoil(), true)).whenComplete((answer, error) -> {
            if (error == null) {
                counters.pulsesSent.incrementAndGet();
                alarms.accepted("rejectCoil");
                LOG.debug("reject {}#{}: coil {} ON", event.lineId(), event.sequence(), settings.rejectCoil());
            } else {
                if (Alarms.isRefusal(error)) {
                    alarms.refused("rejectCoil", "coil " + settings.rejectCoil(), error);
                }
                missed(event, MissReason.WRITE_FAILED, "coil write failed: " + Alarms.describe(error));
            }
        });
    }

    private void release(long offAtNanos) {
        if (--activePulses == 0) {
            link.runAt(offAtNanos, () -> link.send(new WriteSingleCoilRequest(settings.rejectCoil(), false)));
        }
    }

    private void missed(InspectionEvent event, MissReason reason, String why) {
        alarms.missed(event.lineId(), event.sequence(), settings.rejectCoil(), reason, why);
    }
}
