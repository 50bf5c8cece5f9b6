package io.linesight.scada.opcua;

import io.linesight.api.event.RuntimeEvent;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the {@code Runtime} folder shows besides the line count.
 *
 * @param version       the LineSight runtime version
 * @param uptimeSeconds seconds since the runtime started, read on every OPC UA read
 * @param activeAlarms  the event board's active alarms, read on every OPC UA read (empty without a board)
 */
record RuntimeInfo(String version, LongSupplier uptimeSeconds, Supplier<List<RuntimeEvent>> activeAlarms) {

    /** A runtime without an event board. */
    RuntimeInfo(String version, LongSupplier uptimeSeconds) {
        this(version, uptimeSeconds, List::of);
    }
}
