package io.linesight.scada.opcua;

import io.linesight.api.event.Alarm;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the {@code Runtime} folder shows besides the line count.
 *
 * @param version       the LineSight runtime version
 * @param uptimeSeconds seconds since the runtime started, read on every OPC UA read
 * @param alarms        the event board's listed alarms (active or unacknowledged), read on every OPC UA read (empty
 *                      without a board)
 * @param acknowledger  acknowledges an alarm by id on behalf of an operator (empty without a board or such an alarm)
 * @param storedModels  the model repository's versions with their states, read on every OPC UA read (empty without
 *                      the model deployment)
 */
record RuntimeInfo(String version, LongSupplier uptimeSeconds, Supplier<List<Alarm>> alarms,
                   BiFunction<Long, String, Optional<Alarm>> acknowledger,
                   Supplier<List<io.linesight.api.deploy.StoredModel>> storedModels) {

    /** A runtime without a model deployment. */
    RuntimeInfo(String version, LongSupplier uptimeSeconds, Supplier<List<Alarm>> alarms,
            BiFunction<Long, String, Optional<Alarm>> acknowledger) {
        this(version, uptimeSeconds, alarms, acknowledger, List::of);
    }

    /** A runtime without an event board. */
    RuntimeInfo(String version, LongSupplier uptimeSeconds) {
        this(version, uptimeSeconds, List::of, (id, who) -> Optional.empty());
    }
}
