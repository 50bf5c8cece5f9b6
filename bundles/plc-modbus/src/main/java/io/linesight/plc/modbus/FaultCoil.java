package io.linesight.plc.modbus;

import com.digitalpetri.modbus.requests.WriteSingleCoilRequest;
import java.util.function.BooleanSupplier;

/**
 * Mirrors "a served line is in FAULT" onto the {@code lineFaultCoil}: written when the wanted value
 * changes and again after every (re)connect, so a PLC that restarted or lost the connection learns the
 * current value. One write in flight; when the wanted value changed meanwhile, the newest is written next.
 * The wanted value is read on the {@link TimerThread} when writing, so concurrent changes from several
 * lines cannot leave an older value behind. A value the PLC refused (Modbus exception) is not retried
 * until it changes or the link reconnects. {@link #changed} may be called from any thread.
 */
final class FaultCoil {

    private final PlcSettings settings;
    private final TimerThread timer;
    private final ModbusLink link;
    private final Alarms alarms;
    private final BooleanSupplier wanted;
    private boolean written;
    private boolean known;
    private boolean inFlight;

    /** @param wanted whether the coil should be ON now; thread-safe */
    FaultCoil(PlcSettings settings, TimerThread timer, ModbusLink link, Alarms alarms, BooleanSupplier wanted) {
        this.settings = settings;
        this.timer = timer;
        this.link = link;
        this.alarms = alarms;
        this.wanted = wanted;
    }

    /** Any thread: the wanted value may have changed. */
    void changed() {
        if (settings.hasLineFaultCoil()) {
            timer.run(this::sync);
        }
    }

    /** Timer thread, after a (re)connect: the PLC's value is unknown, write ours. */
    void connected() {
        known = false;
        sync();
    }

    private void sync() {
        boolean value = wanted.getAsBoolean();
        if (!settings.hasLineFaultCoil() || inFlight || link.state() != ConnectionState.CONNECTED
                || (known && written == value)) {
            return;
        }
        inFlight = true;
        link.send(new WriteSingleCoilRequest(settings.lineFaultCoil(), value))
                .whenComplete((answer, error) -> timer.run(() -> done(value, error)));
    }

    private void done(boolean value, Throwable error) {
        inFlight = false;
        if (error == null || Alarms.isRefusal(error)) {
            written = value;
            known = true;
            if (error == null) {
                alarms.accepted("lineFaultCoil");
            } else {
                alarms.refused("lineFaultCoil", "coil " + settings.lineFaultCoil(), error);
            }
            sync();
        }
        // connection lost: connected() writes the wanted value again
    }
}
