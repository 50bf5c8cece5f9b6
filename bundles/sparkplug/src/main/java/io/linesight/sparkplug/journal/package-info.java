/**
 * The edge node's durable store-and-forward journal: messages the node could not publish (broker or primary host
 * away, rate limit exceeded) wait in {@link io.linesight.sparkplug.journal.MessageJournal}, an H2 MVStore file, until
 * they are replayed as historical data. Internal to the Sparkplug bundle.
 */
package io.linesight.sparkplug.journal;
