package io.linesight.scada.opcua;

import static io.linesight.scada.opcua.TestRecords.counters;
import static io.linesight.scada.opcua.TestRecords.event;
import static io.linesight.scada.opcua.TestRecords.status;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.inspection.Verdict;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load (issue item 7): a simulated line runs flat out (fixed CPU work per frame, then publish) without
 * and then with N subscribed SCADA clients (Basic256Sha256 SignAndEncrypt, Counters/Total, Pass, Reject,
 * FrameRate and LastVerdict at 100 ms sampling). Reports the line's frame rate in both phases, the
 * notifications the clients receive per second, and CPU. Not a unit test (surefire skips *Benchmark);
 * run it alone on an otherwise idle machine:
 *
 * <pre>
 * cd bundles/scada-opcua
 * mvn -o test -Dtest=SubscriptionLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.clients=50 -Dbench.seconds=20 -Dbench.frameWorkMs=10
 * </pre>
 *
 * The clients run in a second JVM ({@link LoadClients}) on the same machine, as SCADA clients on other machines
 * would be (their decryption then does not count as the server's process CPU, but it still competes for the same
 * cores); {@code -Dbench.clientNice=19} runs that JVM at the lowest priority, so it takes only the CPU the line
 * and the server leave, the nearest this one machine comes to clients on other machines;
 * {@code -Dbench.clientsInThisJvm=true} puts them in this JVM instead. "Server threads CPU" counts only
 * the server's request and updater threads.
 */
class SubscriptionLoadBenchmark {

    private static final String[] ITEMS = {"Counters/Total", "Counters/Pass", "Counters/Reject", "FrameRate", "LastVerdict"};

    @TempDir
    Path pki;

    @Test
    void frameRateWithAndWithoutSubscribedClients() throws Exception {
        int clients = Integer.getInteger("bench.clients", 50);
        int seconds = Integer.getInteger("bench.seconds", 10);
        int frameWorkMs = Integer.getInteger("bench.frameWorkMs", 10);
        OpcUaScadaComponent component = new OpcUaScadaComponent(TestConfigs.production(TestConfigs.freePort(), pki,
                TestConfigs.user("scada", "observer", "scada-pw")));
        List<ScadaClient> connected = new ArrayList<>();
        try {
            String url = component.endpointUrl().orElseThrow();
            ClientCertificate certificate = ClientCertificate.create("urn:linesight:test:scada");
            certificate.trustIn(pki);
            Line line = new Line(component, frameWorkMs);
            line.start();
            Thread.sleep(2000); // warm-up
            Phase without = measure(line, seconds, List.of());

            Phase with;
            if (Boolean.parseBoolean(System.getProperty("bench.clientsInThisJvm", "false"))) {
                List<BlockingQueue<DataValue>> queues = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    ScadaClient client = ScadaClient.login(url, certificate, "scada", "scada-pw");
                    connected.add(client);
                    for (String item : ITEMS) {
                        queues.add(client.subscribe("Lines/bench/" + item));
                    }
                }
                Thread.sleep(2000);
                queues.forEach(BlockingQueue::clear);
                with = measure(line, seconds, queues);
            } else {
                with = measureWithClientProcess(line, seconds, url, clients);
            }
            line.stop();

            String report = String.format("OPC UA load: line at %.1f fps without clients, %.1f fps with %d clients x %d"
                            + " items at 100 ms (%.1f %% change); %.0f notifications/s received (%.1f per client per s);"
                            + " process CPU %.0f %% -> %.0f %% of one core; server threads CPU %.0f %% -> %.0f %% of one core",
                    without.fps, with.fps, clients, ITEMS.length, 100 * (with.fps - without.fps) / without.fps,
                    with.notificationsPerSecond, with.notificationsPerSecond / clients,
                    without.processCpu, with.processCpu, without.serverCpu, with.serverCpu);
            System.out.println(report);
            assertTrue(with.notificationsPerSecond > 0, report);
        } finally {
            connected.forEach(ScadaClient::close);
            component.deactivate();
        }
    }

    private record Phase(double fps, double notificationsPerSecond, double processCpu, double serverCpu) {
    }

    private static Phase measure(Line line, int seconds, List<BlockingQueue<DataValue>> queues) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long frames0 = line.frames.get();
        long cpu0 = os.getProcessCpuTime();
        long server0 = serverThreadsCpu();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long elapsed = System.nanoTime() - t0;
        long notifications = queues.stream().mapToLong(q -> {
            List<DataValue> drained = new ArrayList<>();
            q.drainTo(drained);
            return drained.size();
        }).sum();
        double secs = elapsed / 1e9;
        return new Phase((line.frames.get() - frames0) / secs, notifications / secs,
                100.0 * (os.getProcessCpuTime() - cpu0) / elapsed, 100.0 * (serverThreadsCpu() - server0) / elapsed);
    }

    /** The clients in their own JVM ({@link LoadClients}), as SCADA clients on other machines would be. */
    private Phase measureWithClientProcess(Line line, int seconds, String url, int clients) throws Exception {
        List<String> command = new ArrayList<>();
        int nice = Integer.getInteger("bench.clientNice", 0);
        if (nice != 0) { // stands in for "the clients run on other machines": they get only the CPU the server leaves
            command.addAll(List.of("nice", "-n", Integer.toString(nice)));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LoadClients.class.getName(),
                url, pki.toString(), Integer.toString(clients), "scada", "scada-pw"));
        for (String item : ITEMS) {
            command.add("Lines/bench/" + item);
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
             var in = new java.io.PrintWriter(process.getOutputStream(), true)) {
            String line0;
            while ((line0 = out.readLine()) != null && !line0.equals("READY")) {
                System.out.println("[clients] " + line0);
            }
            assertTrue(line0 != null, "the client process ended before its clients were subscribed");
            Thread.sleep(2000);
            in.println("START");
            Phase phase = measure(line, seconds, List.of());
            in.println("STOP");
            String result;
            while ((result = out.readLine()) != null && !result.startsWith("NOTIFICATIONS ")) {
                System.out.println("[clients] " + result);
            }
            assertTrue(result != null, "the client process ended without its count");
            String[] parts = result.split(" ");
            return new Phase(phase.fps, Long.parseLong(parts[1]) / Double.parseDouble(parts[2]), phase.processCpu,
                    phase.serverCpu);
        } finally {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static long serverThreadsCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("linesight-opcua")) {
                long cpu = threads.getThreadCpuTime(thread.getId());
                sum += Math.max(0, cpu);
            }
        }
        return sum;
    }

    /** A line thread: fixed CPU work standing in for inference, then publish to the SCADA sink. */
    private static final class Line implements Runnable {
        final AtomicLong frames = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final OpcUaScadaComponent sink;
        private final long workNanos;
        private Thread thread;

        Line(OpcUaScadaComponent sink, int workMs) {
            this.sink = sink;
            this.workNanos = workMs * 1_000_000L;
        }

        void start() {
            thread = new Thread(this, "bench-line");
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        @Override
        public void run() {
            byte[] buffer = new byte[4096];
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                for (long n = 1; running.get(); n++) {
                    long end = System.nanoTime() + workNanos;
                    while (System.nanoTime() < end) {
                        buffer[0] = digest.digest(buffer)[0];
                    }
                    long pass = n - n / 7;
                    sink.publish(event("bench", n, n % 7 == 0 ? Verdict.REJECT : Verdict.PASS, Instant.now()),
                            status("bench", counters(pass, n / 7, 0), Optional.of(Verdict.PASS)));
                    frames.incrementAndGet();
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
