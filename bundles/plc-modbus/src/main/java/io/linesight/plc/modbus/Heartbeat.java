package io.linesight.plc.modbus;

import com.digitalpetri.modbus.requests.WriteSingleRegisterRequest;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Increments the heartbeat register every {@code heartbeatPeriodMs} (wrapping 65535 to 0) so the PLC
 * can tell a live runtime from a dead one. The count advances while the PLC is unreachable too, so after
 * a reconnect the PLC sees a jump, never a repeated value. At most one heartbeat write is in flight; a
 * PLC that answers slowly gets fewer beats, not a backlog. Runs on the {@link TimerThread}.
 */
final class Heartbeat {

    private final PlcSettings settings;
    private final TimerThread timer;
    private final ModbusLink link;
    private final Counters counters;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private int value;
    private volatile Instant lastAcknowledged;

    Heartbeat(PlcSettings settings, TimerThread timer, ModbusLink link, Counters counters) {
        this.settings = settings;
        this.timer = timer;
        this.link = link;
        this.counters = counters;
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
                lastAcknowledged = Instant.now();
                counters.heartbeatsSent.incrementAndGet();
            }
        });
    }
}
