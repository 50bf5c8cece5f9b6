/**
 * The runtime as a Sparkplug B 3.0 edge node: births, data by exception, commands and a durable
 * store-and-forward journal, over one outbound MQTT connection.
 */
package io.linesight.sparkplug;
