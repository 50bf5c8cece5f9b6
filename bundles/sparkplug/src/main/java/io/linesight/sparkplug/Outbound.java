package io.linesight.sparkplug;

import io.linesight.sparkplug.journal.JournalEntry;
import io.linesight.sparkplug.journal.JournalException;
import io.linesight.sparkplug.journal.MessageJournal;
import io.linesight.sparkplug.journal.PendingMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.tahu.message.model.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every data message goes: live to the broker when the node is online, within the rate limit and with room in
 * Paho's queue; otherwise to the journal, from which it is replayed, marked historical, at the replay rate beside the
 * live data once the node is online again.
 *
 * <p>At-least-once: Sparkplug sends data with QoS 0, so a message written to a connection that turns out to be dead
 * is lost without a word. The node therefore keeps what it sent live during the last {@code resendWindow} (long
 * enough for MQTT keep-alive to notice a dead connection) and, when the connection is lost, journals it again; journal
 * entries are removed only once their replay is that old. A host may thus see a message twice around an outage,
 * identifiable by metric name and timestamp (for inspections, by frame sequence). Single-threaded: the node's
 * publisher thread only, except the delivery marks Paho sets.
 */
final class Outbound {

    private static final Logger LOG = LoggerFactory.getLogger(Outbound.class);
    /** Messages handed to Paho and not yet written: above this, the broker cannot keep up and the journal takes over. */
    static final int MAX_IN_FLIGHT = 2_000;
    /** Live messages kept for resending: beyond this the oldest are let go (counted). */
    static final int MAX_WINDOW = 100_000;
    private static final int REPLAY_BATCH = 200;

    /** A message on its way; Paho marks it written on its own thread. */
    private static final class Sent implements MqttLink.Delivery {
        final String deviceId;
        final List<Sample> samples;
        final long timestampMillis;
        final long journalId;
        volatile long writtenAtMillis;
        volatile boolean failed;

        Sent(String deviceId, List<Sample> samples, long timestampMillis, long journalId) {
            this.deviceId = deviceId;
            this.samples = samples;
            this.timestampMillis = timestampMillis;
            this.journalId = journalId;
        }

        @Override
        public void done(boolean ok) {
            if (ok) {
                writtenAtMillis = System.currentTimeMillis();
            } else {
                failed = true;
            }
        }

        boolean writtenBefore(long millis) {
            long at = writtenAtMillis;
            return at != 0 && at < millis;
        }
    }

    private final Topics topics;
    private final Payloads payloads;
    private final MessageJournal journal;
    private final long resendWindowMillis;
    private final RateLimit liveRate;
    private final RateLimit replayRate;
    private final SeqCounter seq = new SeqCounter();
    private final List<PendingMessage> pending = new ArrayList<>();
    private final ArrayDeque<Sent> window = new ArrayDeque<>();
    private final ArrayDeque<Sent> replaying = new ArrayDeque<>();
    private MqttLink link;
    private long replayCursor;

    private long sentLive;
    private long journaled;
    private long replayed;
    private long replayDiscarded;
    private long resent;
    private long windowOverflow;
    private long journalFailures;

    Outbound(Topics topics, Payloads payloads, MessageJournal journal, SparkplugSettings s, long nowNanos) {
        this.topics = topics;
        this.payloads = payloads;
        this.journal = journal;
        this.resendWindowMillis = Math.max(2_000, s.keepAliveSeconds() * 1_500L);
        this.liveRate = new RateLimit(s.maxMessagesPerSecond(), nowNanos);
        this.replayRate = new RateLimit(s.replayPerSecond(), nowNanos);
    }

    /** The node is online on {@code link}: births go first (the caller), then live data and replay. */
    void online(MqttLink link) {
        this.link = link;
        replayCursor = 0;
    }

    /**
     * The node went offline: what it sent live within the resend window is journaled again (after a clean
     * disconnect, only what Paho had not written), and the replay starts over from the oldest entry still in the
     * journal.
     */
    void offline(boolean clean) {
        if (clean) {
            // everything written before a clean DISCONNECT reached the broker: let it go now, not at the next replay
            forget(Long.MAX_VALUE);
        }
        link = null;
        for (Sent s : window) {
            if (clean && s.writtenAtMillis != 0) {
                continue;
            }
            pending.add(journalRecord(s.deviceId, s.samples, s.timestampMillis));
            resent++;
        }
        window.clear();
        replaying.clear();
        replayCursor = 0;
    }

    boolean isOnline() {
        return link != null;
    }

    /** The sequence number for the next message; {@link #resetSeq()} at every NBIRTH. */
    long nextSeq() {
        return seq.take();
    }

    void resetSeq() {
        seq.reset();
    }

    /**
     * Sends a birth or death now (never journaled: a birth is the current state, made again at the next connection).
     *
     * @return false when the link could not take it (the connection is going down)
     */
    boolean sendControl(String topic, byte[] payload, int qos) {
        if (link == null) {
            return false;
        }
        try {
            link.publish(topic, payload, qos, false, ok -> { });
            return true;
        } catch (MqttException e) {
            LOG.debug("Sparkplug control message to {} not sent: {}", topic, e.toString());
            return false;
        }
    }

    /**
     * Data of one device: live when possible, else to the journal.
     *
     * @param born the device's current birth, or null when it has none (offline, or not born yet)
     */
    void send(String deviceId, DeviceMetrics born, List<Sample> samples, long timestampMillis, long nowNanos) {
        if (samples.isEmpty()) {
            return;
        }
        if (born != null && link != null && link.inFlight() < MAX_IN_FLIGHT && liveRate.tryTake(nowNanos)
                && publish(deviceId, born, samples, timestampMillis, false, 0)) {
            sentLive++;
            return;
        }
        pending.add(journalRecord(deviceId, samples, timestampMillis));
    }

    /** Writes what waits for the journal in one commit. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            journal.appendAll(pending);
            journaled += pending.size();
        } catch (JournalException e) {
            journalFailures += pending.size();
            LOG.error("Sparkplug journal could not take {} message(s), they are lost: {}", pending.size(),
                    e.getMessage());
        }
        pending.clear();
    }

    /**
     * One step of replay: as many journal entries as the replay rate allows now, marked historical; and removal of
     * entries whose replay is older than the resend window.
     *
     * @param born the current birth of a device id, or null
     */
    void replay(Function<String, DeviceMetrics> born, long nowNanos) {
        forget(System.currentTimeMillis() - resendWindowMillis);
        if (link == null || link.inFlight() >= MAX_IN_FLIGHT) {
            return;
        }
        int budget = Math.min(REPLAY_BATCH, replayRate.available(nowNanos));
        if (budget == 0) {
            return;
        }
        List<JournalEntry> entries;
        try {
            entries = journal.peekAfter(replayCursor, budget);
        } catch (JournalException e) {
            LOG.error("Sparkplug journal cannot be read for replay: {}", e.getMessage());
            return;
        }
        for (JournalEntry entry : entries) {
            replayRate.tryTake(nowNanos);
            replayCursor = entry.id();
            replayOne(entry, born.apply(entry.deviceId()));
        }
    }

    private void replayOne(JournalEntry entry, DeviceMetrics device) {
        List<Sample> samples;
        try {
            samples = payloads.decodeJournal(entry.payload());
        } catch (Exception e) {
            samples = null;
        }
        if (device == null || samples == null
                || !publish(entry.deviceId(), device, samples, entry.timestampMillis(), true, entry.id())) {
            if (device == null || samples == null) {
                // a device that no longer exists (a line removed during the outage) or an unreadable record: it
                // cannot be replayed under any birth; counted, and removed like a sent one
                replayDiscarded++;
                Sent gone = new Sent(entry.deviceId(), List.of(), entry.timestampMillis(), entry.id());
                gone.writtenAtMillis = 1;
                replaying.add(gone);
            }
            return;
        }
        replayed++;
    }

    private boolean publish(String deviceId, DeviceMetrics device, List<Sample> samples, long timestampMillis,
                            boolean historical, long journalId) {
        List<Metric> metrics = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            Metric m = device.byAlias(s, historical);
            if (m != null) {
                metrics.add(m);
            }
        }
        Sent sent = new Sent(deviceId, samples, timestampMillis, journalId);
        if (metrics.isEmpty()) {
            sent.writtenAtMillis = 1;
        } else {
            byte[] bytes = payloads.encode(metrics, timestampMillis, seq.take());
            try {
                link.publish(topics.data(deviceId), bytes, 0, false, sent);
            } catch (MqttException e) {
                return false;
            }
        }
        if (historical) {
            replaying.add(sent);
        } else {
            window.add(sent);
            if (window.size() > MAX_WINDOW) {
                window.poll();
                windowOverflow++;
            }
        }
        return true;
    }

    /** Lets go of live messages and removes replayed journal entries written before {@code before}. */
    private void forget(long before) {
        while (!window.isEmpty() && window.peek().writtenBefore(before)) {
            window.poll();
        }
        long removable = -1;
        while (!replaying.isEmpty() && replaying.peek().writtenBefore(before)) {
            removable = replaying.poll().journalId;
        }
        if (removable >= 0) {
            try {
                journal.remove(removable);
            } catch (JournalException e) {
                LOG.error("Sparkplug journal cannot remove replayed entries: {}", e.getMessage());
            }
        }
    }

    private PendingMessage journalRecord(String deviceId, List<Sample> samples, long timestampMillis) {
        return new PendingMessage(deviceId, timestampMillis, payloads.encodeForJournal(samples, timestampMillis));
    }

    /** Counts since the node started, for the node's metrics and the log. */
    record Figures(long sentLive, long journaled, long replayed, long replayDiscarded, long resent,
                   long windowOverflow, long journalFailures, int inWindow, int replaying) {
    }

    Figures figures() {
        return new Figures(sentLive, journaled, replayed, replayDiscarded, resent, windowOverflow, journalFailures,
                window.size(), replaying.size());
    }
}
