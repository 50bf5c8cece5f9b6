package io.linesight.sparkplug;

import org.eclipse.tahu.message.model.MetricDataType;

/**
 * One metric value at one instant, by name: what the node sends, before it is tied to a birth's aliases (live) or
 * written to the journal (later, historical).
 */
record Sample(String name, MetricDataType type, Object value, long timestampMillis) {
}
