package io.linesight.sparkplug;

import io.linesight.api.event.Alarm;
import io.linesight.api.event.EventKind;
import io.linesight.api.event.MissedReject;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.output.OutputStatus;
import io.linesight.api.watch.DriftFigures;
import io.linesight.sparkplug.journal.JournalException;
import io.linesight.sparkplug.journal.JournalFigures;
import io.linesight.sparkplug.journal.MessageJournal;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sparkplug B edge node: one publisher thread owns the MQTT session, the births, the metrics and the journal.
 * Everything else only hands it things through bounded queues: the lines' inference threads their judged frames
 * ({@link #frameJudged}: an offer, never a wait; a full queue drops and counts), the runtime its status changes and
 * events, Paho its connection news and commands.
 *
 * <p>Session: connect (brokers in order) with NDEATH(bdSeq) as the Will; subscribe to NCMD, DCMD and the primary host's
 * STATE; when the host is online (or none is configured) publish NBIRTH (seq 0), a DBIRTH per line and output, then
 * data by exception (every data interval, the changed metrics) and per frame (the {@value InspectionTemplate#METRIC}
 * template, for every verdict or REJECT/REVIEW only). A lost connection or an offline host sends data to the journal;
 * back online, births first, then live data with the journal replayed beside it. Connection attempts back off from
 * 1 s to 30 s with jitter; every attempt has a new bdSeq, kept in the journal across restarts.
 */
final class EdgeNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeNode.class);
    /** Frames waiting for the publisher thread; a node that falls this far behind drops and counts. */
    static final int FRAME_QUEUE = 4_096;
    private static final int CONTROL_QUEUE = 10_000;
    private static final long MIN_BACKOFF_MS = 1_000;
    private static final long MAX_BACKOFF_MS = 10_000;
    private static final String BD_SEQ = "bdSeq";
    /** The alarms' source: {@code upstream/sparkplug}. */
    static final String ALARM_SOURCE = "upstream/sparkplug";
    /** Offline this long before UPSTREAM_LOST is raised: a broker restart is not an alarm. */
    static final long UPSTREAM_GRACE_MS = 10_000;

    private enum Phase { DISCONNECTED, CONNECTING, WAITING_FOR_HOST, ONLINE, CLOSED }

    private record JudgedFrame(InspectionEvent event, LineStatus status) {
    }

    private final SparkplugSettings settings;
    private final Topics topics;
    private final Payloads payloads = new Payloads();
    private final MessageJournal journal;
    private final Surroundings surroundings;
    private final CommandHandler commands;
    private final Outbound outbound;
    private final BlockingQueue<JudgedFrame> frames = new ArrayBlockingQueue<>(FRAME_QUEUE);
    private final BlockingQueue<Runnable> control = new LinkedBlockingQueue<>(CONTROL_QUEUE);
    private final AtomicLong framesDropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    /** What {@link #describe()} shows, renewed by the publisher thread at each data interval. */
    private volatile String description = "Sparkplug node starting";

    // publisher thread only
    private Phase phase = Phase.DISCONNECTED;
    private MqttLink link;
    private long bdSeq;
    private int failures;
    private long nextAttemptNanos;
    private long nextTickNanos;
    private boolean alarmsChanged = true;
    private final HostState host = new HostState();
    private final DeviceMetrics node;
    private final Map<String, DeviceMetrics> lines = new LinkedHashMap<>();
    private final Map<String, DeviceMetrics> outputs = new LinkedHashMap<>();
    private final Set<String> born = new HashSet<>();
    private final Map<String, Long> missedRejects = new HashMap<>();
    private long nextAlias = 1;
    private long births;
    private String lastFailure = "";
    private long offlineSinceNanos = System.nanoTime();
    private boolean upstreamLostRaised;
    private long lostMessagesReported;

    EdgeNode(SparkplugSettings settings, MessageJournal journal, Surroundings surroundings, CommandHandler commands) {
        this.settings = settings;
        this.topics = new Topics(settings.groupId(), settings.edgeNodeId());
        this.journal = journal;
        this.surroundings = surroundings;
        this.commands = commands;
        this.outbound = new Outbound(topics, payloads, journal, settings, System.nanoTime());
        this.bdSeq = journal.meta(BD_SEQ, -1L);
        this.node = NodeDevice.define(settings);
        // drops of earlier runs were reported by those runs
        JournalFigures j = journal.figures();
        this.lostMessagesReported = j.droppedForSize() + j.droppedForAge();
        this.thread = new Thread(this::run, "linesight-sparkplug " + settings.edgeNodeId());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    // ---- called from other threads ----------------------------------------------------------------------------

    /** A line judged a frame (its inference thread): an offer, never a wait. */
    void frameJudged(InspectionEvent event, LineStatus status) {
        if (!frames.offer(new JudgedFrame(event, status))) {
            framesDropped.incrementAndGet();
        }
    }

    void lineStatusChanged(LineStatus status) {
        post(() -> lineStatus(status, true));
    }

    void lineRemoved(String lineId) {
        post(() -> removeLine(lineId));
    }

    void event(RuntimeEvent event) {
        post(() -> onEvent(event));
    }

    /** Frames the publisher thread could not take (its queue was full). */
    long framesDropped() {
        return framesDropped.get();
    }

    private void post(Runnable task) {
        if (running && !control.offer(task)) {
            LOG.warn("Sparkplug node is {} tasks behind; a status change was not published", CONTROL_QUEUE);
        }
    }

    // ---- the publisher thread ------------------------------------------------------------------------------

    private void run() {
        LOG.info("Sparkplug edge node {}/{} starting: {}", settings.groupId(), settings.edgeNodeId(),
                settings.describe());
        while (running) {
            try {
                step();
            } catch (RuntimeException e) {
                // one bad message or metric must not end the node; the next step starts clean
                LOG.error("Sparkplug node step failed; continuing", e);
                sleepQuietly(100);
            }
        }
    }

    private void step() {
        Runnable task;
        try {
            task = control.poll(10, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return;
        }
        while (task != null && running) {
            task.run();
            task = control.poll();
        }
        drainFrames();
        long now = System.nanoTime();
        if (phase == Phase.DISCONNECTED && now - nextAttemptNanos >= 0) {
            connect();
        }
        if (now - nextTickNanos >= 0 || alarmsChanged) {
            tick();
            nextTickNanos = now + settings.dataInterval().toNanos();
        }
        if (phase == Phase.ONLINE) {
            outbound.replay(this::bornDevice, now);
        }
        outbound.flush();
        syncJournal();
    }

    /** The journal forces its last commits to the disk when its fsync interval has passed, also while idle. */
    private void syncJournal() {
        try {
            journal.syncIfDue();
        } catch (JournalException e) {
            LOG.error("Sparkplug journal cannot be forced to the disk: {}", e.getMessage());
        }
    }

    private void drainFrames() {
        for (int i = 0; i < 1_000; i++) {
            JudgedFrame f = frames.poll();
            if (f == null) {
                return;
            }
            onFrame(f.event(), f.status());
        }
    }

    private void onFrame(InspectionEvent event, LineStatus status) {
        DeviceMetrics line = lineStatus(status, false);
        if (settings.everyVerdict() || event.verdict() != Verdict.PASS) {
            long at = event.captureTime().toEpochMilli();
            Sample inspection = line.sendNow(InspectionTemplate.METRIC, InspectionTemplate.of(event), at);
            outbound.send(line.deviceId(), bornDevice(line.deviceId()), List.of(inspection), at, System.nanoTime());
        }
    }

    /**
     * Updates (or adds) a line. A change of state (RUNNING to FAULT, camera lost) goes out at once, with whatever else
     * changed; the rest waits for the data interval (lines announce their status often, and a host wants the fault,
     * not a message per announcement).
     */
    private DeviceMetrics lineStatus(LineStatus status, boolean stateChangesAtOnce) {
        DeviceMetrics line = lines.get(status.lineId());
        if (line == null) {
            line = LineDevice.define(status.lineId(), status);
            lines.put(status.lineId(), line);
            birthDevice(line);
            return line;
        }
        String before = LineDevice.stateKey(line);
        LineDevice.update(line, status);
        line.set(LineDevice.MISSED_REJECTS, missedRejects.getOrDefault(status.lineId(), 0L));
        if (stateChangesAtOnce && !before.equals(LineDevice.stateKey(line))) {
            sendChanges(line);
        }
        return line;
    }

    private void removeLine(String lineId) {
        DeviceMetrics line = lines.remove(lineId);
        if (line != null) {
            deathDevice(line.deviceId());
        }
    }

    private void onEvent(RuntimeEvent event) {
        MissedReject.of(event).ifPresent(m -> {
            missedRejects.merge(m.lineId(), 1L, Long::sum);
            DeviceMetrics line = lines.get(m.lineId());
            if (line != null) {
                line.set(LineDevice.MISSED_REJECTS, missedRejects.get(m.lineId()));
                line.set(LineDevice.LAST_MISSED_REJECT, event.message());
            }
        });
        if (event.kind().raisesAlarm() || event.conditionKey() != null
                || event.kind() == EventKind.ALARM_ACKNOWLEDGED) {
            alarmsChanged = true;
        }
    }

    /** Reads the surroundings, adds and removes devices, and sends what changed. */
    private void tick() {
        alarmsChanged = false;
        Set<String> seenLines = new HashSet<>();
        for (LineStatus status : surroundings.lines()) {
            seenLines.add(status.lineId());
            DeviceMetrics line = lineStatus(status, false);
            surroundings.shadow(status.lineId()).ifPresent(f -> LineDevice.shadow(line, f));
        }
        for (String gone : new ArrayList<>(lines.keySet())) {
            if (!seenLines.contains(gone)) {
                removeLine(gone);
            }
        }
        for (io.linesight.api.fleet.DeploymentStatus deployment : surroundings.deployments()) {
            DeviceMetrics line = lines.get(deployment.lineId());
            if (line != null) {
                FleetMetrics.update(line, deployment);
            }
        }
        node.set(FleetMetrics.LAST_REFUSAL, surroundings.fleetRefusal());
        for (DriftFigures drift : surroundings.drift()) {
            DeviceMetrics line = lines.get(drift.lineId());
            if (line != null) {
                LineDevice.drift(line, drift);
            }
        }
        updateOutputs();
        watchUpstream();
        description = describeNow();
        updateAlarms();
        NodeDevice.update(node, lines.values(), journalFigures(), outbound.figures(), framesDropped.get());
        sendChanges(node);
        lines.values().forEach(this::sendChanges);
        outputs.values().forEach(this::sendChanges);
    }

    /** Raises UPSTREAM_LOST after the grace period offline, clears it online; reports data the journal lost. */
    private void watchUpstream() {
        if (phase == Phase.ONLINE) {
            offlineSinceNanos = 0;
            if (upstreamLostRaised) {
                upstreamLostRaised = false;
                surroundings.publish(RuntimeEvent.of(EventKind.UPSTREAM_RESTORED, ALARM_SOURCE,
                        "Sparkplug node online again on " + link.serverUri() + "; the journal is being replayed"));
            }
        } else {
            long now = System.nanoTime();
            if (offlineSinceNanos == 0) {
                offlineSinceNanos = now;
            }
            if (!upstreamLostRaised && now - offlineSinceNanos >= TimeUnit.MILLISECONDS.toNanos(UPSTREAM_GRACE_MS)) {
                upstreamLostRaised = true;
                surroundings.publish(RuntimeEvent.of(EventKind.UPSTREAM_LOST, ALARM_SOURCE, offlineReason()));
            }
        }
        JournalFigures j = journal.figures();
        long lost = j.droppedForSize() + j.droppedForAge() + outbound.figures().journalFailures();
        if (lost > lostMessagesReported) {
            surroundings.publish(RuntimeEvent.of(EventKind.UPSTREAM_DATA_DROPPED, ALARM_SOURCE, String.format(
                    java.util.Locale.ROOT, "%d upstream message(s) lost so far: %d dropped for the journal's size"
                            + " bound, %d for its age bound, %d not written; raise journal.maxMegabytes or"
                            + " journal.maxAgeHours, or bring the broker back sooner", lost, j.droppedForSize(),
                    j.droppedForAge(), outbound.figures().journalFailures())));
            lostMessagesReported = lost;
        }
    }

    private String offlineReason() {
        if (phase == Phase.WAITING_FOR_HOST) {
            return "Sparkplug primary host '" + settings.primaryHostId() + "' is offline; data goes to the journal"
                    + " until it is back";
        }
        return "Sparkplug node cannot reach " + String.join(" ", settings.brokers())
                + (lastFailure.isEmpty() ? "" : " (" + lastFailure + ")")
                + "; data goes to the journal; check the broker, the network and the credentials";
    }

    private void updateOutputs() {
        Set<String> seen = new HashSet<>();
        for (OutputStatus status : surroundings.outputs()) {
            String id = OutputDevice.deviceId(status.outputId());
            seen.add(id);
            DeviceMetrics output = outputs.get(id);
            if (output == null || OutputDevice.needsRebirth(output, status)) {
                output = OutputDevice.define(status);
                outputs.put(id, output);
                born.remove(id);
                birthDevice(output);
            } else {
                OutputDevice.update(output, status);
            }
        }
        for (String gone : new ArrayList<>(outputs.keySet())) {
            if (!seen.contains(gone)) {
                outputs.remove(gone);
                deathDevice(gone);
            }
        }
    }

    private void updateAlarms() {
        Map<String, List<Alarm>> bySource = new HashMap<>();
        for (Alarm alarm : surroundings.alarms()) {
            bySource.computeIfAbsent(deviceOfSource(alarm.source()), k -> new ArrayList<>()).add(alarm);
        }
        AlarmMetrics.update(node, bySource.getOrDefault("", List.of()));
        lines.values().forEach(d -> AlarmMetrics.update(d, bySource.getOrDefault(d.deviceId(), List.of())));
        outputs.values().forEach(d -> AlarmMetrics.update(d, bySource.getOrDefault(d.deviceId(), List.of())));
    }

    /** {@code line/<id>} is the line's device, {@code output/<id>} the output's; anything else the node. */
    private String deviceOfSource(String source) {
        if (source.startsWith("line/") && lines.containsKey(source.substring(5))) {
            return source.substring(5);
        }
        if (source.startsWith("output/")) {
            String id = OutputDevice.deviceId(source.substring(7));
            if (outputs.containsKey(id)) {
                return id;
            }
        }
        return "";
    }

    private void sendChanges(DeviceMetrics device) {
        long now = System.currentTimeMillis();
        List<Sample> changes = device.changes(now);
        outbound.send(device.deviceId(), bornDevice(device.deviceId()), changes, now, System.nanoTime());
    }

    /** The device's metrics if it is born in this session (or the node, once it is). */
    private DeviceMetrics bornDevice(String deviceId) {
        if (phase != Phase.ONLINE) {
            return null;
        }
        if (deviceId.isEmpty()) {
            return node;
        }
        if (!born.contains(deviceId)) {
            return null;
        }
        DeviceMetrics line = lines.get(deviceId);
        return line != null ? line : outputs.get(deviceId);
    }

    private JournalFigures journalFigures() {
        return journal.figures();
    }

    // ---- births and deaths -------------------------------------------------------------------------------

    private void birthAll() {
        outbound.resetSeq();
        born.clear();
        nextAlias = 1;
        long now = System.currentTimeMillis();
        long[] alias = {nextAlias};
        node.assignAliases(alias);
        nextAlias = alias[0];
        NodeDevice.update(node, lines.values(), journalFigures(), outbound.figures(), framesDropped.get());
        List<Metric> metrics = new ArrayList<>();
        metrics.add(DeviceMetrics.named(BD_SEQ, MetricDataType.Int64, bdSeq, new Date(now)));
        metrics.add(InspectionTemplate.definition());
        metrics.addAll(node.birth(new Date(now)));
        byte[] nbirth = payloads.encode(metrics, now, outbound.nextSeq());
        if (!outbound.sendControl(topics.node("NBIRTH"), nbirth, 0)) {
            return;
        }
        births++;
        LOG.info("Sparkplug NBIRTH {} (bdSeq {}) on {} with {} line(s) and {} output(s)", topics.node("NBIRTH"),
                bdSeq, link.serverUri(), lines.size(), outputs.size());
        lines.values().forEach(this::birthDevice);
        outputs.values().forEach(this::birthDevice);
    }

    private void birthDevice(DeviceMetrics device) {
        if (phase != Phase.ONLINE) {
            return;
        }
        long now = System.currentTimeMillis();
        long[] alias = {nextAlias};
        device.assignAliases(alias);
        nextAlias = alias[0];
        byte[] payload = payloads.encode(device.birth(new Date(now)), now, outbound.nextSeq());
        if (outbound.sendControl(topics.device("DBIRTH", device.deviceId()), payload, 0)) {
            born.add(device.deviceId());
        }
    }

    private void deathDevice(String deviceId) {
        if (born.remove(deviceId) && phase == Phase.ONLINE) {
            long now = System.currentTimeMillis();
            outbound.sendControl(topics.device("DDEATH", deviceId), payloads.encode(List.of(), now, outbound.nextSeq()),
                    0);
        }
    }

    private byte[] ndeath() {
        long now = System.currentTimeMillis();
        return payloads.encode(List.of(DeviceMetrics.named(BD_SEQ, MetricDataType.Int64, bdSeq, new Date(now))), now,
                null);
    }

    // ---- the connection -------------------------------------------------------------------------------------

    private void connect() {
        bdSeq = (bdSeq + 1) & 0xFF;
        try {
            journal.putMeta(BD_SEQ, bdSeq);
        } catch (JournalException e) {
            LOG.warn("Sparkplug bdSeq not kept in the journal ({}); a restart may repeat it", e.getMessage());
        }
        phase = Phase.CONNECTING;
        try {
            link = new MqttLink(settings, topics.node("NDEATH"), ndeath(), new LinkListener());
            link.connect();
        } catch (MqttException | RuntimeException e) {
            connectionFailed(link, e);
        }
    }

    /** Paho's news, handed to the publisher thread. */
    private final class LinkListener implements MqttLink.Listener {
        @Override
        public void connected(MqttLink from, String serverUri) {
            post(() -> onConnected(from, serverUri));
        }

        @Override
        public void connectFailed(MqttLink from, Throwable cause) {
            post(() -> connectionFailed(from, cause));
        }

        @Override
        public void lost(MqttLink from, Throwable cause) {
            post(() -> connectionLost(from, cause));
        }

        @Override
        public void arrived(MqttLink from, String topic, byte[] payload) {
            post(() -> onMessage(from, topic, payload));
        }
    }

    private void onConnected(MqttLink from, String serverUri) {
        if (from != link || phase == Phase.CLOSED) {
            from.close();
            return;
        }
        failures = 0;
        try {
            link.subscribe(topics.nodeCommands(), 1);
            link.subscribe(topics.deviceCommands(), 1);
            link.subscribe(topics.desiredForGroup(), 1);
            link.subscribe(topics.desiredForNode(), 1);
            if (settings.waitsForPrimaryHost()) {
                host.reset();
                link.subscribe(Topics.state(settings.primaryHostId()), 1);
            }
        } catch (MqttException e) {
            connectionLost(from, e);
            return;
        }
        LOG.info("Sparkplug node connected to {} as {}", serverUri, settings.clientId());
        if (settings.waitsForPrimaryHost()) {
            phase = Phase.WAITING_FOR_HOST;
            LOG.info("Sparkplug node waits for primary host '{}' to be online before its birth; data goes to the"
                    + " journal", settings.primaryHostId());
        } else {
            goOnline();
        }
    }

    private void goOnline() {
        phase = Phase.ONLINE;
        outbound.online(link);
        birthAll();
    }

    private void connectionFailed(MqttLink from, Throwable cause) {
        if (from != link) {
            return;
        }
        failures++;
        String why = describe(cause);
        if (failures == 1 || !why.equals(lastFailure)) {
            LOG.warn("Sparkplug node cannot reach {}: {}; data goes to the journal and the node keeps trying"
                    + " (check the broker address, port, credentials and TLS settings)", settings.brokers(), why);
        }
        lastFailure = why;
        dropLink();
    }

    private void connectionLost(MqttLink from, Throwable cause) {
        if (from != link) {
            return;
        }
        LOG.warn("Sparkplug node lost the broker {}: {}; data goes to the journal until it is back",
                from.serverUri(), describe(cause));
        failures = Math.max(failures, 1);
        dropLink();
    }

    /**
     * Ends the session on purpose: NDEATH, then a clean DISCONNECT after Paho wrote what it holds (so only what it
     * could not write is journaled again), then a new session after the usual backoff.
     */
    private void endSessionCleanly() {
        if (phase == Phase.ONLINE) {
            outbound.sendControl(topics.node("NDEATH"), ndeath(), 1);
        }
        if (link != null) {
            link.disconnect(1_000);
        }
        failures = 0;
        dropLink(true);
    }

    private void dropLink() {
        dropLink(false);
    }

    /** @param clean the session ended with a clean DISCONNECT: what Paho wrote reached the broker */
    private void dropLink(boolean clean) {
        if (link != null) {
            link.close();
        }
        link = null;
        born.clear();
        outbound.offline(clean);
        if (phase != Phase.CLOSED) {
            phase = Phase.DISCONNECTED;
            long backoff = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(failures - 1, 5));
            backoff -= (long) (backoff * 0.2 * ThreadLocalRandom.current().nextDouble());
            nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(failures == 0 ? 0 : backoff);
        }
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "connection closed";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return root == cause ? text : text + " (" + root + ")";
    }

    // ---- what arrives -----------------------------------------------------------------------------------

    private void onMessage(MqttLink from, String topic, byte[] payload) {
        if (from != link) {
            return;
        }
        if (settings.waitsForPrimaryHost() && topic.equals(Topics.state(settings.primaryHostId()))) {
            onHostState(payload);
        } else if (topic.equals(topics.desiredForGroup()) || topic.equals(topics.desiredForNode())) {
            onDesiredState(topic, payload);
        } else if (topic.equals(topics.nodeCommands())) {
            onCommand("", payload);
        } else {
            onCommand(topics.deviceOf(topic), payload);
        }
    }

    /** A retained desired state (or its removal: an empty payload, which changes nothing on the box). */
    private void onDesiredState(String topic, byte[] payload) {
        if (payload.length == 0) {
            return;
        }
        if (!surroundings.desiredState(payload, topic)) {
            LOG.warn("A desired state arrived on {} but no fleet agent runs on this box; it is ignored", topic);
        }
    }

    private void onHostState(byte[] payload) {
        boolean changed;
        try {
            changed = host.update(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("Sparkplug STATE of host '{}' ignored: {}", settings.primaryHostId(), e.getMessage());
            return;
        }
        if (!changed) {
            return;
        }
        if (host.online() && phase == Phase.WAITING_FOR_HOST) {
            LOG.info("Sparkplug primary host '{}' is online", settings.primaryHostId());
            goOnline();
        } else if (!host.online() && phase == Phase.ONLINE) {
            // Sparkplug 3.0: the host went away; end this session (NDEATH) and start a new one, whose birth waits
            // for the host; meanwhile data goes to the journal
            LOG.warn("Sparkplug primary host '{}' went offline; the node journals until it is back",
                    settings.primaryHostId());
            endSessionCleanly();
        }
    }

    private void onCommand(String deviceId, byte[] bytes) {
        SparkplugBPayload payload;
        try {
            payload = payloads.decode(bytes);
        } catch (Exception e) {
            LOG.warn("Sparkplug command to '{}' ignored: not a Sparkplug B payload ({})",
                    deviceId.isEmpty() ? "the node" : deviceId, e.getMessage());
            return;
        }
        DeviceMetrics target = deviceId.isEmpty() ? node : lines.get(deviceId);
        if (target == null) {
            LOG.warn("Sparkplug command to unknown device '{}' ignored (commands go to lines)", deviceId);
            return;
        }
        String who = requester(payload);
        for (Metric m : payload.getMetrics()) {
            String name = m.hasName() ? m.getName() : (m.hasAlias() ? target.nameOfAlias(m.getAlias()) : null);
            if (name == null || name.equals("Requester")) {
                continue;
            }
            CommandCall.run(this, target, deviceId, name, m.getValue(), who);
        }
        if (!target.isNode()) {
            // the answer carries what the command changed (counters reset, a new model): read the line afresh
            surroundings.lines().stream().filter(s -> s.lineId().equals(deviceId)).findFirst()
                    .ifPresent(s -> lineStatus(s, false));
        }
        sendChanges(target);
    }

    private static String requester(SparkplugBPayload payload) {
        for (Metric m : payload.getMetrics()) {
            if ("Requester".equals(m.getName()) && m.getValue() instanceof String s && !s.isBlank()) {
                return "sparkplug:" + s.trim();
            }
        }
        return "sparkplug:host";
    }

    /** Node Control/Rebirth: every birth again, same bdSeq, seq from 0. */
    void rebirth() {
        if (phase == Phase.ONLINE) {
            LOG.info("Sparkplug rebirth requested by a host");
            birthAll();
        }
    }

    /** Node Control/Next Server: end this session and connect to the next broker in the list. */
    void nextServer() {
        if (phase == Phase.ONLINE || phase == Phase.WAITING_FOR_HOST) {
            LOG.info("Sparkplug node moves to the next server on a host's request");
            endSessionCleanly();
        }
    }

    SparkplugSettings settings() {
        return settings;
    }

    /** The node now, in a few lines for the console; any thread. */
    String describe() {
        return description;
    }

    private String describeNow() {
        StringBuilder out = new StringBuilder();
        out.append("Sparkplug node ").append(settings.groupId()).append('/').append(settings.edgeNodeId()).append(": ")
                .append(phase).append(link == null ? "" : " on " + link.serverUri()).append(" as ")
                .append(settings.clientId()).append(" (bdSeq ").append(bdSeq).append(", ").append(births)
                .append(" births)");
        if (phase == Phase.DISCONNECTED && !lastFailure.isEmpty()) {
            out.append("\n  last failure: ").append(lastFailure);
        }
        if (settings.waitsForPrimaryHost()) {
            out.append("\n  primary host ").append(settings.primaryHostId()).append(": ")
                    .append(host.online() ? "online" : "offline");
        }
        List<String> devices = new ArrayList<>(lines.keySet());
        devices.addAll(outputs.keySet());
        out.append("\n  devices: ").append(devices.isEmpty() ? "none" : String.join(", ", devices))
                .append(" (born: ").append(born.size()).append(')');
        Outbound.Figures f = outbound.figures();
        out.append(String.format(java.util.Locale.ROOT, "%n  sent live %d, journaled %d, replayed %d (discarded %d),"
                        + " resent after a loss %d, frames dropped at the hand-off %d, journal failures %d",
                f.sentLive(), f.journaled(), f.replayed(), f.replayDiscarded(), f.resent(), framesDropped.get(),
                f.journalFailures()));
        JournalFigures j = journal.figures();
        out.append(String.format(java.util.Locale.ROOT, "%n  journal %s: %d entries, %d bytes (bound %d MB), file %d"
                        + " bytes, oldest %s; dropped for size %d, for age %d", settings.journalFile(), j.entries(),
                j.bytes(), settings.journalMaxBytes() / 1024 / 1024, j.fileBytes(),
                j.oldest().map(Object::toString).orElse("-"), j.droppedForSize(), j.droppedForAge()));
        out.append("\n  verdicts sent: ").append(settings.everyVerdict() ? "every" : "flagged")
                .append("; commands allowed: ").append(settings.commandsAllowed().isEmpty() ? "none"
                        : settings.commandsAllowed().stream().map(Command::configName).sorted()
                        .reduce((a, b) -> a + ", " + b).orElse(""));
        return out.toString();
    }

    CommandHandler commands() {
        return commands;
    }

    /** Births published since start, for tests and the log. */
    long births() {
        return births;
    }

    // ---- shutdown ---------------------------------------------------------------------------------------

    /**
     * Says goodbye (NDEATH, then a clean disconnect), stops the thread and journals what is still queued. Returns
     * within a few seconds even when the broker does not answer.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        post(() -> {
            try {
                drainFrames();
                tick();
                endSessionCleanly();
                phase = Phase.CLOSED;
                outbound.flush();
            } finally {
                done.countDown();
            }
        });
        try {
            if (!done.await(10, TimeUnit.SECONDS)) {
                LOG.warn("Sparkplug node did not finish its goodbye within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // no interrupt: an interrupted thread closes the journal's file channel under it (NIO); the loop polls
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (link != null) {
            link.close();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
