package io.linesight.sparkplug.peer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An independent Sparkplug B host application for tests: {@code src/test/node/sparkplug-host.js} in a node process,
 * decoding with sparkplug-payload 1.0.3 (protobufjs) over MQTT.js 5, installed by
 * {@code scripts/ensure-test-tools.sh sparkplug-host}. Neither Eclipse Tahu's Java codec nor LineSight's code is on
 * its side of the wire, so what it reports is what another implementation understood.
 *
 * <p>It subscribes to {@code spBv1.0/#} and records every message it receives ({@link #messages()}) and every other
 * event it reports ({@link #events()}: connected, disconnected, reconnected, decode-error, ...), at most
 * {@value #MAX_RECORDED} of each: a test that records more fails instead of growing without bound. With a host id it
 * publishes Sparkplug 3.0 STATE (retained, QoS 1) with an offline Will. Commands ({@link #publishCommand},
 * {@link #publishText}, {@link #stateOffline()}, {@link #stateOnline()}) return once the node process confirmed
 * them: written to the socket for QoS 0, acknowledged by the broker for QoS 1.
 *
 * <p>The host's stderr goes to {@link #logFile()}.
 */
public final class SparkplugHost implements AutoCloseable {

    /** How many messages (and, separately, other events) a host records at most. */
    public static final int MAX_RECORDED = 250_000;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
    private static final BigInteger MAX_EXACT_IN_JSON = BigInteger.valueOf((1L << 53) - 1);
    private static final int DIAGNOSTIC_MESSAGES = 20;
    private static final String SCRIPT = "bundles/sparkplug/src/test/node/sparkplug-host.js";

    /**
     * How to start a host.
     *
     * @param caFile a PEM CA file for an {@code ssl://} / {@code mqtts://} broker (the only CA trusted); null for the
     *     system's CAs
     * @param hostId the Sparkplug host id: publishes STATE on {@code spBv1.0/STATE/<hostId>}; null for no STATE
     * @param clientId the MQTT client id; null for one of the host's own
     * @param awaitConnected whether {@link SparkplugHost#start} waits until the host is subscribed (and its STATE is
     *     published)
     */
    public record Options(Path caFile, String hostId, String clientId, boolean awaitConnected) {

        /** No CA file, no host id, a generated client id, wait for the connection. */
        public static Options defaults() {
            return new Options(null, null, null, true);
        }

        public Options withCaFile(Path file) {
            return new Options(file, hostId, clientId, awaitConnected);
        }

        public Options withHostId(String id) {
            return new Options(caFile, id, clientId, awaitConnected);
        }

        public Options withClientId(String id) {
            return new Options(caFile, hostId, id, awaitConnected);
        }

        /** Returns from {@link SparkplugHost#start} at once, for a broker that is down or a connection that fails. */
        public Options withoutAwaitingConnection() {
            return new Options(caFile, hostId, clientId, false);
        }
    }

    private final Process process;
    private final Options options;
    private final Path logFile;
    private final Writer stdin;
    private final Thread reader;

    private final Object lock = new Object();
    private final List<HostMessage> messages = new ArrayList<>();
    private final List<JsonObject> events = new ArrayList<>();
    private final Map<Integer, String> failedCommands = new HashMap<>();
    private int answeredCommands;
    private boolean overflowed;
    private boolean outputEnded;

    private final Object commandLock = new Object();
    private int sentCommands;

    private SparkplugHost(Process process, Options options, Path logFile) {
        this.process = process;
        this.options = options;
        this.logFile = logFile;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.reader = new Thread(this::readOutput, "sparkplug-host-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a host with {@link Options#defaults()}. */
    public static SparkplugHost start(String brokerUrl) throws IOException {
        return start(brokerUrl, Options.defaults());
    }

    /**
     * Starts a host.
     *
     * @param brokerUrl Paho's {@code tcp://} / {@code ssl://} form or MQTT.js's {@code mqtt://} / {@code mqtts://}
     * @throws AssertionError if it should wait for the connection and the host did not connect within 60 s
     */
    public static SparkplugHost start(String brokerUrl, Options options) throws IOException {
        String nodeModules = TestTools.ensure("sparkplug-host");
        Path script = TestTools.repoRoot().resolve(SCRIPT);
        List<String> command = new ArrayList<>(List.of("node", script.toString(), "--broker", mqttJsUrl(brokerUrl)));
        if (options.caFile() != null) {
            command.addAll(List.of("--ca", options.caFile().toAbsolutePath().toString()));
        }
        if (options.clientId() != null) {
            command.addAll(List.of("--client-id", options.clientId()));
        }
        if (options.hostId() != null) {
            command.addAll(List.of("--host-id", options.hostId()));
        }
        Path log = Files.createTempFile(TestTools.logDirectory("sparkplug-host"), "host-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().put("NODE_PATH", nodeModules);
        Process process = builder.start();
        ProcessReaper.watch(process);
        SparkplugHost host = new SparkplugHost(process, options, log);
        if (options.awaitConnected()) {
            try {
                host.awaitEvent("connected", CONNECT_TIMEOUT);
            } catch (AssertionError | RuntimeException e) {
                host.close();
                throw e;
            }
        }
        return host;
    }

    /** A metric for a command: {@code {"name", "type", "value"}} (value may be null; types as sparkplug-payload). */
    public static Map<String, Object> metric(String name, String type, Object value) {
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("name", name);
        metric.put("type", type);
        metric.put("value", value);
        return metric;
    }

    /** A metric with an alias for a command. */
    public static Map<String, Object> metric(String name, long alias, String type, Object value) {
        Map<String, Object> metric = metric(name, type, value);
        metric.put("alias", alias);
        return metric;
    }

    // ---- what the host received ---------------------------------------------------------------------------

    /** Every message received so far, in arrival order. */
    public List<HostMessage> messages() {
        synchronized (lock) {
            requireNotOverflowed();
            return List.copyOf(messages);
        }
    }

    /** How many messages were received so far: an index for {@link #awaitFrom}. */
    public int messageCount() {
        synchronized (lock) {
            return messages.size();
        }
    }

    /** Every other event so far ({@code {"event": "connected"}}, decode-error, published, ...), in order. */
    public List<JsonObject> events() {
        synchronized (lock) {
            requireNotOverflowed();
            return List.copyOf(events);
        }
    }

    /**
     * The first message, since the host started, that matches.
     *
     * @throws AssertionError with the last 20 messages if none arrives within {@code timeout}
     */
    public HostMessage await(Predicate<HostMessage> condition, Duration timeout) {
        return awaitFrom(0, condition, timeout);
    }

    /** The first matching message at or after index {@code from} (see {@link #messageCount()}). */
    public HostMessage awaitFrom(int from, Predicate<HostMessage> condition, Duration timeout) {
        return awaitMessages(from, condition, 1, timeout).get(0);
    }

    /**
     * The first {@code count} matching messages since the host started.
     *
     * @throws AssertionError with the last 20 messages if fewer arrive within {@code timeout}
     */
    public List<HostMessage> awaitCount(Predicate<HostMessage> condition, int count, Duration timeout) {
        return awaitMessages(0, condition, count, timeout);
    }

    /** The first {@code count} matching messages at or after index {@code from}. */
    public List<HostMessage> awaitCountFrom(int from, Predicate<HostMessage> condition, int count, Duration timeout) {
        return awaitMessages(from, condition, count, timeout);
    }

    /** The first event named {@code name} (connected, reconnected, decode-error, ...) since the host started. */
    public JsonObject awaitEvent(String name, Duration timeout) {
        return awaitEventCount(name, 1, timeout).get(0);
    }

    /** The first {@code count} events named {@code name} since the host started. */
    public List<JsonObject> awaitEventCount(String name, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                requireNotOverflowed();
                List<JsonObject> found = events.stream().filter(e -> name.equals(JsonFields.string(e, "event")))
                        .limit(count).toList();
                if (found.size() == count) {
                    return found;
                }
                waitOrFail(deadline, count + " '" + name + "' event(s), saw " + found.size(), timeout);
            }
        }
    }

    // ---- what the host publishes --------------------------------------------------------------------------

    /**
     * Publishes a Sparkplug payload with the current time as its timestamp, encoded by sparkplug-payload, at QoS 0
     * and not retained, as a command (NCMD, DCMD) is sent. 64-bit values above 2^53 are passed on as strings so
     * they arrive exact.
     *
     * @param metrics maps with "name", "type" (Int64, Boolean, Template, ...), "value", optionally "alias" and
     *     "timestamp"; see {@link #metric(String, String, Object)}
     */
    public void publishCommand(String topic, List<Map<String, Object>> metrics) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("timestamp", System.currentTimeMillis());
        payload.put("metrics", metrics);
        publish(topic, payload, 0, false);
    }

    /**
     * Publishes any Sparkplug payload: {@code payload} has "timestamp" (default now), "metrics" and optionally
     * "seq".
     */
    public void publish(String topic, Map<String, Object> payload, int qos, boolean retain) {
        JsonObject publish = new JsonObject();
        publish.addProperty("topic", topic);
        publish.add("payload", toJson(payload));
        publish.addProperty("qos", qos);
        publish.addProperty("retain", retain);
        send(command("publish", publish));
    }

    /** Publishes {@code text} as UTF-8 bytes (not a Sparkplug payload): STATE, garbage for decode tests, ... */
    public void publishText(String topic, String text, int qos, boolean retain) {
        JsonObject publish = new JsonObject();
        publish.addProperty("topic", topic);
        publish.addProperty("text", text);
        publish.addProperty("qos", qos);
        publish.addProperty("retain", retain);
        send(command("publishText", publish));
    }

    /**
     * Publishes {@code {"online":false,...}} on the host's STATE topic (retained, QoS 1) and stays connected. Every
     * STATE of one connection (online, offline, the Will) carries the timestamp of that connection's first STATE.
     */
    public void stateOffline() {
        requireHostId();
        send(command("stateOffline", new JsonPrimitive(true)));
    }

    /** Publishes {@code {"online":true,...}} on the host's STATE topic again (retained, QoS 1). */
    public void stateOnline() {
        requireHostId();
        send(command("stateOnline", new JsonPrimitive(true)));
    }

    // ---- life cycle -----------------------------------------------------------------------------------------

    /** The host's stderr. */
    public Path logFile() {
        return logFile;
    }

    /** Whether the node process is alive. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Ends the node process at once (SIGKILL): its connection drops without a DISCONNECT, so the broker publishes
     * the host's Will (offline STATE when it has a host id).
     */
    public void kill() {
        process.destroyForcibly();
        awaitProcessEnd();
    }

    /**
     * Closes the host's stdin, which disconnects it cleanly (after an offline STATE when it has a host id), and
     * kills it if it has not exited within 10 s.
     */
    @Override
    public void close() {
        synchronized (commandLock) {
            try {
                stdin.close();
            } catch (IOException e) {
                // the process is gone already
            }
        }
        try {
            if (!process.waitFor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        awaitProcessEnd();
    }

    // ---- internals ------------------------------------------------------------------------------------------

    private void awaitProcessEnd() {
        try {
            process.waitFor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            reader.join(CLOSE_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!process.isAlive()) {
                ProcessReaper.forget(process);
            }
        }
    }

    private List<HostMessage> awaitMessages(int from, Predicate<HostMessage> condition, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<HostMessage> found = new ArrayList<>();
        int scanned = from;
        synchronized (lock) {
            while (true) {
                requireNotOverflowed();
                for (; scanned < messages.size() && found.size() < count; scanned++) {
                    if (condition.test(messages.get(scanned))) {
                        found.add(messages.get(scanned));
                    }
                }
                if (found.size() == count) {
                    return List.copyOf(found);
                }
                waitOrFail(deadline, count + " matching message(s) from index " + from + ", saw " + found.size(),
                        timeout);
            }
        }
    }

    /** Waits for the next line of output, or fails when the deadline passed or the host's output ended. */
    private void waitOrFail(long deadline, String expectation, Duration timeout) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || outputEnded) {
            throw new AssertionError("expected " + expectation + " within " + timeout.toSeconds() + " s"
                    + (outputEnded ? " but the host's output ended (exited: " + exitDescription() + ")" : "")
                    + "\n" + diagnostics());
        }
        try {
            TimeUnit.NANOSECONDS.timedWait(lock, remaining);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + expectation, e);
        }
    }

    private void send(JsonObject command) {
        int number;
        synchronized (commandLock) {
            try {
                stdin.write(command.toString());
                stdin.write('\n');
                stdin.flush();
            } catch (IOException e) {
                throw new AssertionError("cannot write to the host (exited: " + exitDescription() + ")\n"
                        + diagnostics(), e);
            }
            number = ++sentCommands;
        }
        awaitAnswer(number, command);
    }

    private void awaitAnswer(int number, JsonObject command) {
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        synchronized (lock) {
            while (answeredCommands < number) {
                waitOrFail(deadline, "the host to confirm " + command, COMMAND_TIMEOUT);
            }
            String failure = failedCommands.remove(number);
            if (failure != null) {
                throw new AssertionError("the host refused " + command + ": " + failure);
            }
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                record(line);
            }
        } catch (IOException e) {
            // the process ended; outputEnded below wakes the waiters
        } finally {
            synchronized (lock) {
                outputEnded = true;
                lock.notifyAll();
            }
        }
    }

    private void record(String line) {
        JsonObject event;
        HostMessage message = null;
        try {
            event = JsonParser.parseString(line).getAsJsonObject();
            if ("message".equals(JsonFields.string(event, "event"))) {
                message = HostMessage.fromJson(event);
            }
        } catch (RuntimeException e) {
            event = new JsonObject();
            event.addProperty("event", "unreadable-output");
            event.addProperty("line", line);
            event.addProperty("error", e.toString());
        }
        synchronized (lock) {
            if (message != null) {
                add(messages, message);
            } else {
                add(events, event);
                countAnswer(event);
            }
            lock.notifyAll();
        }
    }

    private <T> void add(List<T> list, T item) {
        if (list.size() >= MAX_RECORDED) {
            overflowed = true;
        } else {
            list.add(item);
        }
    }

    private void countAnswer(JsonObject event) {
        String name = JsonFields.string(event, "event");
        if ("published".equals(name)) {
            answeredCommands++;
        } else if ("publish-failed".equals(name) || "input-error".equals(name)) {
            answeredCommands++;
            failedCommands.put(answeredCommands, name + ": " + JsonFields.string(event, "error"));
        }
    }

    private void requireNotOverflowed() {
        if (overflowed) {
            throw new IllegalStateException("the host received more than " + MAX_RECORDED
                    + " messages or events; a test that needs more must use a host per phase");
        }
    }

    private void requireHostId() {
        if (options.hostId() == null) {
            throw new IllegalStateException("this host has no host id, so it publishes no STATE");
        }
    }

    private String exitDescription() {
        return process.isAlive() ? "no" : "yes, code " + process.exitValue();
    }

    private String diagnostics() {
        StringBuilder text = new StringBuilder();
        int from = Math.max(0, messages.size() - DIAGNOSTIC_MESSAGES);
        text.append("last ").append(messages.size() - from).append(" of ").append(messages.size())
                .append(" messages:\n");
        for (HostMessage message : messages.subList(from, messages.size())) {
            text.append("  ").append(abbreviated(message.raw().toString())).append('\n');
        }
        int eventsFrom = Math.max(0, events.size() - DIAGNOSTIC_MESSAGES);
        text.append("last events:\n");
        for (JsonObject event : events.subList(eventsFrom, events.size())) {
            text.append("  ").append(abbreviated(event.toString())).append('\n');
        }
        text.append("host log: ").append(logFile).append('\n').append(logTail());
        return text.toString();
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000) + "...";
    }

    private static JsonObject command(String name, JsonElement body) {
        JsonObject command = new JsonObject();
        command.add(name, body);
        return command;
    }

    private static String mqttJsUrl(String brokerUrl) {
        if (brokerUrl.startsWith("tcp://")) {
            return "mqtt://" + brokerUrl.substring("tcp://".length());
        }
        if (brokerUrl.startsWith("ssl://")) {
            return "mqtts://" + brokerUrl.substring("ssl://".length());
        }
        return brokerUrl;
    }

    /** Values as the host reads them: 64-bit integers beyond a double's exact range as strings, bytes as base64. */
    private static JsonElement toJson(Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof JsonElement element) {
            return element;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObject object = new JsonObject();
            map.forEach((key, item) -> object.add(String.valueOf(key), toJson(item)));
            return object;
        }
        if (value instanceof Iterable<?> items) {
            JsonArray array = new JsonArray();
            items.forEach(item -> array.add(toJson(item)));
            return array;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            BigInteger integer = value instanceof BigInteger big ? big
                    : BigInteger.valueOf(((Number) value).longValue());
            return integer.abs().compareTo(MAX_EXACT_IN_JSON) <= 0 ? new JsonPrimitive(integer)
                    : new JsonPrimitive(integer.toString());
        }
        if (value instanceof Number number) {
            return new JsonPrimitive(number);
        }
        if (value instanceof Boolean bool) {
            return new JsonPrimitive(bool);
        }
        if (value instanceof byte[] bytes) {
            return new JsonPrimitive(Base64.getEncoder().encodeToString(bytes));
        }
        return new JsonPrimitive(value.toString());
    }
}
