package io.linesight.it;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import io.linesight.sparkplug.peer.DeviceState;
import io.linesight.sparkplug.peer.HostMessage;
import io.linesight.sparkplug.peer.HostMetric;
import io.linesight.sparkplug.peer.MosquittoBroker;
import io.linesight.sparkplug.peer.SparkplugHost;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, items 1, 3 and 5: the five fault kinds (model refused, camera misconfigured, camera lost, PLC lost,
 * missed reject) driven on the real runtime, and every place that shows state read after each step: the console
 * ({@code inspect:lines}, {@code alarm:list}), REST ({@code /api/lines}, {@code /api/alarms}), {@code /health/ready},
 * {@code /metrics}, OPC UA ({@code Lines/<id>/State}, {@code Runtime/Health}, {@code Runtime/ActiveAlarms}), the
 * PLC's line-fault coil and, since issue 18, the upstream Sparkplug node as an independent host sees it (each line
 * device's {@code State} and {@code Alarms/<KIND>/Active|Acknowledged}). They must agree on the fault, on the clear, and on the acknowledgement; the times from the
 * cause to the fault and from the fix to the clear are printed.
 */
class FaultsAgreeEverywhereEndToEndTest {

    private static final String TOKEN = "e2e-fault-token-" + Long.toHexString(System.nanoTime());
    private static final int FAULT_COIL = 1;
    private static final long WAIT_S = 30;

    private RuntimeProcess runtime;
    private OpcUaClient opcua;
    private int ns;
    private Socket console;
    private TelnetReader consoleReader;
    private RecordingPlc plc;
    private MosquittoBroker broker;
    private SparkplugHost host;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> figures = new ArrayList<>();

    @Test
    void everyPlaceAgreesOnEachFaultItsClearAndItsAcknowledgement() throws Exception {
        int plcPort = RuntimeProcess.freePort();
        plc = new RecordingPlc(plcPort);
        broker = MosquittoBroker.launch();
        host = SparkplugHost.start(broker.tcpUrl());
        try (RuntimeProcess r = new RuntimeProcess("faults")) {
            runtime = r;
            Path parts = prepare(r, plcPort);
            r.start();
            connectClients(r);
            try {
                modelRefusedIsAFaultUntilThePackageIsFixed();
                cameraMisconfiguredIsAFaultUntilTheFilterMatches();
                cameraLostIsAFaultUntilTheCameraIsBack(parts);
                plcLostAndMissedRejectsAreAlarmsUntilAcknowledged(plcPort);
                System.out.println("faults: " + String.join("; ", figures));
            } finally {
                disconnectClients();
            }
        } finally {
            plc.close();
            host.close();
            broker.close();
        }
    }

    // ---- the five fault kinds ---------------------------------------------------------------------

    private void modelRefusedIsAFaultUntilThePackageIsFixed() throws Exception {
        long started = System.nanoTime();
        View fault = awaitView("line second FAULT with NO_MODEL", v -> v.agreesOnFault("second", "NO_MODEL"));
        figures.add("model refused: FAULT everywhere " + ms(started) + " ms after the start");
        assertTrue(fault.restDetail.contains("no-such-model"), fault.restDetail);

        long fixed = System.nanoTime();
        Files.writeString(runtime.config("io.linesight.line-second.cfg"), secondLine("models/defect-mobilenetv2"));
        awaitView("line second RUNNING, NO_MODEL cleared", v -> v.agreesOnRunning("second") && v.cleared("NO_MODEL", "second"));
        figures.add("model fixed: RUNNING and cleared " + ms(fixed) + " ms after the edit");
        acknowledgeAndAwaitGone("NO_MODEL", "second");
    }

    private void cameraMisconfiguredIsAFaultUntilTheFilterMatches() throws Exception {
        Path file = runtime.config("io.linesight.line-default.cfg");
        String good = Files.readString(file);
        long edited = System.nanoTime();
        Files.writeString(file, good.replace("camera.target=(source.id=conveyor)", "camera.target=(source.id=conveyr)"));
        View fault = awaitView("line default FAULT with CAMERA_MISCONFIGURED",
                v -> v.agreesOnFault("default", "CAMERA_MISCONFIGURED"));
        figures.add("camera misconfigured: FAULT everywhere " + ms(edited) + " ms after the edit (noFrameFaultMs 2000)");
        assertTrue(fault.restDetail.contains("cameras present:") && fault.restDetail.contains("conveyor"), fault.restDetail);

        long fixed = System.nanoTime();
        Files.writeString(file, good);
        awaitView("line default RUNNING, CAMERA_MISCONFIGURED cleared",
                v -> v.agreesOnRunning("default") && v.cleared("CAMERA_MISCONFIGURED", "default"));
        figures.add("camera filter fixed: RUNNING and cleared " + ms(fixed) + " ms after the edit");
        acknowledgeAndAwaitGone("CAMERA_MISCONFIGURED", "default");
    }

    private void cameraLostIsAFaultUntilTheCameraIsBack(Path parts) throws Exception {
        Path away = parts.resolveSibling("parts-away");
        long removed = System.nanoTime();
        Files.move(parts, away);
        awaitView("line second FAULT with CAMERA_LOST", v -> v.agreesOnFault("second", "CAMERA_LOST"));
        figures.add("camera lost: FAULT everywhere " + ms(removed) + " ms after its folder went");
        long back = System.nanoTime();
        Files.move(away, parts);
        awaitView("line second RUNNING, CAMERA_LOST cleared",
                v -> v.agreesOnRunning("second") && v.cleared("CAMERA_LOST", "second"));
        figures.add("camera back: RUNNING and cleared " + ms(back) + " ms after its folder returned");
        acknowledgeAndAwaitGone("CAMERA_LOST", "second");
    }

    private void plcLostAndMissedRejectsAreAlarmsUntilAcknowledged(int plcPort) throws Exception {
        long down = System.nanoTime();
        plc.close();
        View lost = awaitView("PLC_LOST and a missed reject listed everywhere", v -> v.listsActive("PLC_LOST", "output/default")
                && v.listsUnacknowledged("REJECT_MISSED", "line/default"));
        figures.add("PLC lost: alarm everywhere and a missed reject listed " + ms(down) + " ms after the PLC went");
        assertEquals("RUNNING", lost.restState.get("default"), "the line keeps inspecting; its rejects are missed");
        assertEquals("ALARM", lost.opcHealth);

        long up = System.nanoTime();
        plc = new RecordingPlc(plcPort);
        View back = awaitView("PLC_LOST cleared, and OPC UA counting the missed rejects /metrics counts", v -> v.cleared(
                "PLC_LOST", "output/default") && v.listsUnacknowledged("REJECT_MISSED", "line/default")
                && v.opcRejectsMissed.get("default") >= 1 && v.opcRejectsMissed.get("default") == v.metricsRejectsMissed("default"));
        figures.add("PLC back: PLC_LOST cleared " + ms(up) + " ms after the PLC returned; the missed reject stays listed; "
                + back.opcRejectsMissed.get("default") + " missed rejects on OPC UA Lines/default/Counters/RejectsMissed and in /metrics");
        acknowledgeAndAwaitGone("REJECT_MISSED", "default");
        if (read().alarm("REJECT_MISSED", "line/second").isPresent()) { // the output serves both lines
            acknowledgeAndAwaitGone("REJECT_MISSED", "second");
        }
        acknowledgeAndAwaitGone("PLC_LOST", "output/default");
        View calm = awaitView("nothing listed, health OK", v -> v.alarms.isEmpty() && "OK".equals(v.opcHealth)
                && v.readyStatus == 200 && !v.faultCoilOn);
        assertTrue(calm.consoleAlarms.contains("No alarms"), calm.consoleAlarms);
        assertEquals(back.opcRejectsMissed.get("default"), calm.opcRejectsMissed.get("default"),
                "acknowledging the alarm does not erase the count");
    }

    // ---- what every place shows ---------------------------------------------------------------------

    /** One reading of every place that shows state. */
    private final class View {
        final java.util.Map<String, String> restState = new java.util.HashMap<>();
        String restDetail = "";
        final List<JsonObject> alarms = new ArrayList<>();
        int readyStatus;
        String metrics;
        final java.util.Map<String, String> opcState = new java.util.HashMap<>();
        final java.util.Map<String, Long> opcRejectsMissed = new java.util.HashMap<>();
        String opcHealth;
        String[] opcAlarms;
        String consoleLines;
        String consoleAlarms;
        boolean faultCoilOn;
        final java.util.Map<String, java.util.Map<String, HostMetric>> upstream = new java.util.HashMap<>();

        /** A metric of a line device as the Sparkplug host sees it now. */
        String upstream(String line, String metric) {
            HostMetric m = upstream.getOrDefault(line, java.util.Map.of()).get(metric);
            return m == null ? null : m.value().getAsString();
        }

        boolean agreesOnFault(String line, String kind) {
            return "FAULT".equals(restState.get(line)) && listsActive(kind, "line/" + line) && readyStatus == 503
                    && "FAULT".equals(upstream(line, "State"))
                    && metrics.contains("linesight_line_state{line=\"" + line + "\",state=\"FAULT\"} 1")
                    && "FAULT".equals(opcState.get(line)) && "FAULT".equals(opcHealth)
                    && consoleLines.matches("(?s).*\\n\\s*" + line + "\\s+FAULT.*") && consoleAlarms.contains(kind)
                    && faultCoilOn;
        }

        boolean agreesOnRunning(String line) {
            return "RUNNING".equals(restState.get(line)) && "RUNNING".equals(opcState.get(line))
                    && "RUNNING".equals(upstream(line, "State"))
                    && metrics.contains("linesight_line_state{line=\"" + line + "\",state=\"RUNNING\"} 1")
                    && consoleLines.matches("(?s).*\\n\\s*" + line + "\\s+RUNNING.*")
                    && restState.values().stream().allMatch("RUNNING"::equals) == (readyStatus == 200)
                    && faultCoilOn == restState.values().stream().anyMatch("FAULT"::equals);
        }

        boolean listsActive(String kind, String source) {
            return alarm(kind, source).map(a -> a.get("active").getAsBoolean()).orElse(false)
                    && opcListed(kind, source, "ACTIVE") && consoleAlarms.contains(kind)
                    && "true".equals(upstreamAlarm(kind, source, "Active"));
        }

        /** {@code Alarms/<kind>/<field>} of the source's device (a line, or output-<id>) upstream; null if unknown. */
        String upstreamAlarm(String kind, String source, String field) {
            String device = source.startsWith("line/") ? source.substring(5) : "output-" + source.substring(7);
            return upstream(device, "Alarms/" + kind + "/" + field);
        }

        boolean listsUnacknowledged(String kind, String source) {
            return alarm(kind, source).map(a -> !a.get("acknowledged").getAsBoolean()).orElse(false)
                    && opcListed(kind, source, "unacknowledged") && consoleAlarms.contains(kind)
                    && "false".equals(upstreamAlarm(kind, source, "Acknowledged"));
        }

        /** Cleared everywhere, still listed until someone acknowledges it. */
        boolean cleared(String kind, String line) {
            String source = line.contains("/") ? line : "line/" + line;
            return alarm(kind, source).map(a -> !a.get("active").getAsBoolean()).orElse(false)
                    && opcListed(kind, source, "CLEARED") && !metricsActive(kind, source)
                    && "false".equals(upstreamAlarm(kind, source, "Active"));
        }

        boolean gone(String kind, String source) {
            return alarm(kind, source).isEmpty() && !opcListed(kind, source, "") && !consoleAlarmsList(kind, source)
                    && "true".equals(upstreamAlarm(kind, source, "Acknowledged"))
                    && "false".equals(upstreamAlarm(kind, source, "Active"));
        }

        private boolean consoleAlarmsList(String kind, String source) {
            return consoleAlarms.lines().anyMatch(l -> l.contains(kind) && l.contains(source));
        }

        private boolean metricsActive(String kind, String source) {
            return metrics.contains("linesight_alarm_active{kind=\"" + kind + "\",source=\"" + source + "\"} 1");
        }

        private boolean opcListed(String kind, String source, String state) {
            return java.util.Arrays.stream(opcAlarms).anyMatch(a -> a.contains(" " + kind + " " + source + " ")
                    && a.contains(state));
        }

        /** The line's missed rejects in /metrics, summed over outputs and reasons. */
        long metricsRejectsMissed(String line) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^linesight_plc_rejects_missed_total\\{[^}]*line=\""
                    + java.util.regex.Pattern.quote(line) + "\"[^}]*\\} (\\d+)$").matcher(metrics);
            long sum = 0;
            while (m.find()) {
                sum += Long.parseLong(m.group(1));
            }
            return sum;
        }

        java.util.Optional<JsonObject> alarm(String kind, String source) {
            return alarms.stream().filter(a -> kind.equals(a.get("kind").getAsString())
                    && source.equals(a.get("source").getAsString())).findFirst();
        }
    }

    private View read() throws Exception {
        View v = new View();
        for (JsonElement e : JsonParser.parseString(get("/api/lines").body()).getAsJsonArray()) {
            JsonObject line = e.getAsJsonObject();
            v.restState.put(line.get("id").getAsString(), line.get("state").getAsString());
            if (!line.get("stateDetail").isJsonNull()) {
                v.restDetail += line.get("id").getAsString() + ": " + line.get("stateDetail").getAsString() + "\n";
            }
        }
        JsonParser.parseString(get("/api/alarms").body()).getAsJsonArray().forEach(a -> v.alarms.add(a.getAsJsonObject()));
        v.readyStatus = get("/health/ready").statusCode();
        v.metrics = get("/metrics").body();
        for (String line : v.restState.keySet()) {
            v.opcState.put(line, (String) opc("Lines/" + line + "/State"));
            v.opcRejectsMissed.put(line, (Long) opc("Lines/" + line + "/Counters/RejectsMissed"));
        }
        v.opcHealth = (String) opc("Runtime/Health");
        v.opcAlarms = (String[]) opc("Runtime/ActiveAlarms");
        v.consoleLines = command("inspect:lines");
        v.consoleAlarms = command("alarm:list");
        List<RecordingPlc.CoilWrite> coil = plc.coilWrites.stream().filter(w -> w.address() == FAULT_COIL).toList();
        v.faultCoilOn = !coil.isEmpty() && coil.get(coil.size() - 1).on();
        List<HostMessage> upstream = host.messages();
        for (String line : v.restState.keySet()) {
            v.upstream.put(line, DeviceState.latest(upstream, "box1", line));
        }
        v.upstream.put("output-default", DeviceState.latest(upstream, "box1", "output-default"));
        return v;
    }

    private View awaitView(String what, Predicate<View> agreed) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        View last = null;
        Exception lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = read();
                if (agreed.test(last)) {
                    return last;
                }
            } catch (IllegalStateException | com.google.gson.JsonParseException e) {
                lastError = e; // a service not answering yet (just started, or restarting): read again
            }
            Thread.sleep(100);
        }
        if (last == null) {
            throw new AssertionError("no place could be read within " + WAIT_S + " s: " + what, lastError);
        }
        throw new AssertionError("places disagree or did not get there within " + WAIT_S + " s: " + what + "\nREST "
                + last.restState + " " + last.alarms + "\nready " + last.readyStatus + "\nOPC UA " + last.opcState + " "
                + last.opcHealth + " " + List.of(last.opcAlarms) + "\nconsole " + last.consoleLines + "\n"
                + last.consoleAlarms + "\nfault coil " + last.faultCoilOn + "\nupstream " + upstreamSummary(last));
    }

    private static String upstreamSummary(View v) {
        StringBuilder out = new StringBuilder();
        v.upstream.forEach((device, metrics) -> {
            out.append(device).append(" State=").append(v.upstream(device, "State"));
            metrics.forEach((name, m) -> {
                if (name.startsWith("Alarms/") && (name.endsWith("/Active") && "true".equals(m.value().getAsString())
                        || name.endsWith("/Acknowledged") && "false".equals(m.value().getAsString()))) {
                    out.append(' ').append(name);
                }
            });
            out.append("; ");
        });
        return out.toString();
    }

    /** Acknowledges over REST (with the token) and waits until no place lists the alarm any more. */
    private void acknowledgeAndAwaitGone(String kind, String lineOrSource) throws Exception {
        String source = lineOrSource.contains("/") ? lineOrSource : "line/" + lineOrSource;
        View v = read();
        long id = v.alarm(kind, source).orElseThrow(() -> new AssertionError(kind + "@" + source + " not listed: "
                + v.alarms)).get("id").getAsLong();
        HttpResponse<String> ack = http.send(HttpRequest.newBuilder(uri("/api/alarms/" + id + "/ack"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ack.statusCode(), ack.body());
        awaitView(kind + "@" + source + " acknowledged and gone everywhere", w -> w.gone(kind, source));
        String journal = command("alarm:journal 200");
        assertTrue(journal.lines().anyMatch(l -> l.contains("#" + id) && l.contains("ACKNOWLEDGED")
                && l.contains("web:e2e")), journal);
    }

    // ---- set-up -------------------------------------------------------------------------------------

    private Path prepare(RuntimeProcess r, int plcPort) throws Exception {
        Files.delete(r.config("io.linesight.plc.simulator.cfg")); // this test is the PLC
        r.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
        r.set("io.linesight.console.telnet.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
        r.set("io.linesight.plc.modbus-default.cfg", "port", String.valueOf(plcPort));
        // one PLC output for both lines, named explicitly: its fault coil stands for either line
        r.set("io.linesight.plc.modbus-default.cfg", "lines", "default,second");
        // no eject deadline: the missed rejects here come from the PLC outage, not from a busy CI machine's timer
        r.set("io.linesight.plc.modbus-default.cfg", "ejectDelayMs", "0");
        Files.writeString(r.config("io.linesight.plc.modbus-default.cfg"), "lineFaultCoil=" + FAULT_COIL + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(r.config("io.linesight.web.cfg"), "tokens=e2e:" + sha256(TOKEN) + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        // the upstream node, as a plant would run it: every change reaches the host within the data interval
        Files.writeString(r.config("io.linesight.sparkplug.cfg"), "brokers=" + broker.tcpUrl()
                + "\ngroupId=plant\nedgeNodeId=box1\ndataIntervalMs=200\n");
        Path parts = Files.createDirectories(r.config("..").normalize().resolve("parts"));
        try (var golden = Files.list(RuntimeProcess.REPO.resolve("models/defect-mobilenetv2/golden"))) {
            for (Path p : golden.filter(f -> f.toString().endsWith(".png")).limit(12).toList()) {
                Files.copy(p, parts.resolve(p.getFileName()));
            }
        }
        Files.writeString(r.config("io.linesight.camera.folder-parts.cfg"),
                "source.id=parts\nfolder=" + parts + "\nframesPerSecond=5\nloop=true\n");
        Files.writeString(r.config("io.linesight.line-second.cfg"), secondLine("models/no-such-model"));
        return parts;
    }

    private static String secondLine(String modelPackage) {
        return "line.id=second\ncamera.target=(source.id=parts)\nmodel.package=" + modelPackage + "\nreview.maxFrames=0\n";
    }

    private void connectClients(RuntimeProcess r) throws Exception {
        int opcPort = Integer.parseInt(Files.readAllLines(r.config("io.linesight.scada.opcua.cfg")).stream()
                .filter(l -> l.startsWith("port=")).findFirst().orElseThrow().substring(5));
        opcua = OpcUaClient.create("opc.tcp://127.0.0.1:" + opcPort,
                endpoints -> endpoints.stream()
                        .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri())).findFirst(),
                b -> b.setApplicationName(LocalizedText.english("LineSight IT faults"))
                        .setApplicationUri("urn:linesight:it:faults").setRequestTimeout(uint(5_000)).build());
        opcua.connect().get(30, TimeUnit.SECONDS);
        String[] namespaces = (String[]) opcua.readValue(0, TimestampsToReturn.Neither,
                Identifiers.Server_NamespaceArray).get().getValue().getValue();
        ns = List.of(namespaces).indexOf("urn:linesight");
        int telnetPort = Integer.parseInt(Files.readAllLines(r.config("io.linesight.console.telnet.cfg")).stream()
                .filter(l -> l.startsWith("port=")).findFirst().orElseThrow().substring(5));
        console = new Socket("127.0.0.1", telnetPort);
        console.setSoTimeout(1_000);
        consoleReader = new TelnetReader(console);
        consoleReader.readUntil("g! ", 20);
    }

    private void disconnectClients() throws Exception {
        if (opcua != null) {
            opcua.disconnect().get(10, TimeUnit.SECONDS);
        }
        if (console != null) {
            console.close();
        }
    }

    private Object opc(String path) throws Exception {
        return opcua.readValue(0, TimestampsToReturn.Neither, new NodeId(ns, path)).get(5, TimeUnit.SECONDS)
                .getValue().getValue();
    }

    private String command(String line) throws IOException {
        OutputStream out = console.getOutputStream();
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return consoleReader.readUntil("g! ", 20);
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && !path.startsWith("/health")) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + runtime.httpPort() + path);
    }

    private static long ms(long sinceNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
