package io.linesight.plc.modbus;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The PLC of the interop tests: pymodbus's Modbus TCP server ({@code src/test/python/recording_plc.py})
 * in its own process, run with Debian's {@code /usr/bin/python3}. Every write it stores is recorded here
 * with the server's monotonic timestamp, which is the clock {@link System#nanoTime()} reads on Linux.
 */
final class PymodbusPlc implements AutoCloseable {

    /** One write as the server stored it. {@code kind} is 'C' (coil) or 'H' (holding register). */
    record Write(long atNanos, char kind, int address, int[] values) {
    }

    static final Path SCRIPT = Path.of("src/test/python/recording_plc.py");
    private static final long START_TIMEOUT_S = 30;

    private final int port;
    private final Process process;
    private final List<Write> writes = new CopyOnWriteArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile long readyNanos;

    private PymodbusPlc(int port, Process process) {
        this.port = port;
        this.process = process;
        Thread reader = new Thread(this::read, "pymodbus-plc-stdout-" + port);
        reader.setDaemon(true);
        reader.start();
    }

    /** Installs pymodbus if missing (scripts/ensure-test-tools.sh, idempotent); fails if that fails. */
    static void ensureInstalled() throws IOException, InterruptedException {
        // Output read here, not inherited: a child writing to this JVM's standard output corrupts surefire's channel.
        Process install = new ProcessBuilder("bash", "../../scripts/ensure-test-tools.sh", "pymodbus")
                .redirectErrorStream(true).start();
        String output = new String(install.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        System.out.print(output);
        if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0) {
            throw new IllegalStateException("scripts/ensure-test-tools.sh pymodbus failed; install python3-pymodbus"
                    + " and python3-serial-asyncio with apt-get: " + output);
        }
    }

    /**
     * Starts the server and waits until it listens.
     *
     * @param extraArgs for example {@code "--registers", "50"} or {@code "--delay-ms", "400"}
     */
    static PymodbusPlc start(int port, String... extraArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(), "--port",
                String.valueOf(port)));
        command.addAll(Arrays.asList(extraArgs));
        Process process = new ProcessBuilder(command)
                .redirectError(new File("target/pymodbus-plc-" + port + ".log"))
                .start();
        PymodbusPlc plc = new PymodbusPlc(port, process);
        if (!plc.ready.await(START_TIMEOUT_S, TimeUnit.SECONDS)) {
            plc.close();
            throw new IllegalStateException("pymodbus PLC did not listen on " + port + " within " + START_TIMEOUT_S
                    + " s; see target/pymodbus-plc-" + port + ".log");
        }
        return plc;
    }

    int port() {
        return port;
    }

    /** When the server started listening (monotonic clock). */
    long readyNanos() {
        return readyNanos;
    }

    List<Write> writes() {
        return List.copyOf(writes);
    }

    /** Writes to one coil, in arrival order. */
    List<Write> coilWrites(int address) {
        return writes.stream().filter(w -> w.kind() == 'C' && w.address() == address).toList();
    }

    /** The values one holding register was given, in order (from single and multiple writes). */
    List<Integer> registerHistory(int address) {
        List<Integer> values = new ArrayList<>();
        for (Write write : writes) {
            int index = address - write.address();
            if (write.kind() == 'H' && index >= 0 && index < write.values().length) {
                values.add(write.values()[index]);
            }
        }
        return values;
    }

    /** The current value of {@code count} registers from {@code address} as the writes left them (0 if never written). */
    int[] registers(int address, int count) {
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            List<Integer> history = registerHistory(address + i);
            values[i] = history.isEmpty() ? 0 : history.get(history.size() - 1);
        }
        return values;
    }

    /** Rising edges (0 to 1) of a coil, with the time of each. */
    List<Long> risingEdges(int coil) {
        List<Long> edges = new ArrayList<>();
        boolean on = false;
        for (Write write : coilWrites(coil)) {
            boolean value = write.values()[0] == 1;
            if (value && !on) {
                edges.add(write.atNanos());
            }
            on = value;
        }
        return edges;
    }

    /** The first write at or after {@code nanos}. */
    Optional<Write> firstWriteAfter(long nanos) {
        return writes.stream().filter(w -> w.atNanos() >= nanos).findFirst();
    }

    /** Stops the server (SIGTERM) and waits for the process: connections are refused from now on. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                parse(line.trim().split(" "));
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private void parse(String[] parts) {
        if (parts[0].equals("READY")) {
            readyNanos = Long.parseLong(parts[2]);
            ready.countDown();
        } else if (parts[0].equals("W")) {
            int[] values = Arrays.stream(parts[4].split(",")).mapToInt(Integer::parseInt).toArray();
            writes.add(new Write(Long.parseLong(parts[1]), parts[2].charAt(0), Integer.parseInt(parts[3]), values));
        }
    }
}
