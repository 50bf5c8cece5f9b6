package io.linesight.scada.opcua;

import java.util.function.LongSupplier;

/**
 * What the {@code Runtime} folder shows besides the line count.
 *
 * @param version       the LineSight runtime version
 * @param uptimeSeconds seconds since the runtime started, read on every OPC UA read
 */
record RuntimeInfo(String version, LongSupplier uptimeSeconds) {
}
