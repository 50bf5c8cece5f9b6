package io.linesight.plc.modbus;

import com.digitalpetri.modbus.requests.WriteSingleRegisterRequest;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Increments the heartbeat register every {@code heartbeatPeriodMs} (wrapping 65535 to 0) so the PLC
 * can tell a live runtime from a dead one. The count advances while the PLC is unreachable too, so after
 * a reconnect the PLC sees a jump, never a repeated value. At most one heartbeat write is in flight; a
 * PLC that answers slowly gets fewer beats, not a backlog. Runs on the {@link TimerThread}.
 *
 * <p>A gap of more than {@value #GAP_PERIODS} periods between two acknowledged beats is what a PLC
 * watchdog would trip on (see the README's suggested PLC logic): it is logged as WARN once the beats
 * resume, and counted ({@code heartbeatGaps}, {@code heartbeatGapLastMs}, {@code heartbeatGapMaxMs}).
 */
final class Heartbeat {

    /** Periods without an acknowledged beat that count as a gap. */
    static final int GAP_PERIODS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final PlcSettings settings;
    private final TimerThread timer;
    private final ModbusLink link;
    private final Counters counters;
    private final Alarms alarms;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private int value;
    private volatile Instant lastAcknowledged;
    private volatile long lastAcknowledgedNanos;

    Heartbeat(PlcSettings settings, TimerThread timer, ModbusLink link, Counters counters, Alarms alarms) {
        this.settings = settings;
        this.timer = timer;
        this.link = link;
        this.counters = counters;
        this.alarms = alarms;
    }

    void start() {
        timer.every(this::beat, settings.heartbeatPeriodMs());
    }

    /** When the PLC last acknowledged a heartbeat (wall clock), if ever. */
    Optional<Instant> lastAcknowledged() {
        return Optional.ofNullable(lastAcknowledged);
    }

    private void beat() {
        value = ResultRegisters.nextHeartbeat(value);
        if (link.state() != ConnectionState.CONNECTED || !inFlight.compareAndSet(false, true)) {
            return;
        }
        link.send(new WriteSingleRegisterRequest(settings.heartbeatRegister(), value)).whenComplete((answer, error) -> {
            inFlight.set(false);
            if (error == null) {
                acknowledged();
            } else if (Alarms.isRefusal(error)) {
                alarms.refused("heartbeatRegister", "holding register " + settings.heartbeatRegister(), error);
            }
        });
    }

    /** Event loop: the PLC has the new value. */
    private void acknowledged() {
        long now = System.nanoTime();
        long previous = lastAcknowledgedNanos;
        lastAcknowledgedNanos = now;
        lastAcknowledged = Instant.now();
        counters.heartbeatsSent.incrementAndGet();
        alarms.accepted("heartbeatRegister");
        long gapMs = TimeUnit.NANOSECONDS.toMillis(now - previous);
        if (previous != 0 && gapMs > GAP_PERIODS * settings.heartbeatPeriodMs()) {
            counters.heartbeatGap(gapMs);
            LOG.warn("PLC at {}: heartbeat register {} resumed after a gap of {} ms (period {} ms): the PLC saw no"
                            + " heartbeat for that long", settings.endpoint(), settings.heartbeatRegister(), gapMs,
                    settings.heartbeatPeriodMs());
        }
    }
}
