package io.linesight.camera.javacv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** External tools for the camera tests: the project's installer script, the ffmpeg CLI, free ports. */
final class TestTools {

    private static final Path SCRIPT = Path.of("../../scripts/ensure-test-tools.sh");

    private TestTools() {
    }

    /** Installs missing tools with the project's script (Debian packages); fails the test if it cannot. */
    static void ensure(String... tools) throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(SCRIPT), "missing " + SCRIPT.toAbsolutePath());
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(tools));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "ensure-test-tools.sh did not finish");
        assertEquals(0, process.exitValue(), "ensure-test-tools.sh " + List.of(tools) + " failed: " + output);
    }

    /** Runs the ffmpeg CLI to completion (quiet); fails the test on a non-zero exit. */
    static void ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ffmpeg did not finish: " + command);
        assertEquals(0, process.exitValue(), "ffmpeg failed: " + command + "\n" + output);
    }

    /** Starts a long-running process whose output goes to {@code log}. */
    static Process start(Path log, String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Starts a process and waits until a line of its output contains {@code readyMarker}. */
    static Process startAndAwait(String readyMarker, long timeoutMs, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    synchronized (seen) {
                        seen.add(line);
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        }, "test-process-output");
        reader.setDaemon(true);
        reader.start();
        boolean ready = await(timeoutMs, () -> {
            synchronized (seen) {
                return seen.stream().anyMatch(l -> l.contains(readyMarker));
            }
        });
        if (!ready) {
            process.destroyForcibly();
            synchronized (seen) {
                throw new AssertionError("not ready within " + timeoutMs + " ms: " + List.of(command) + " said " + seen);
            }
        }
        return process;
    }

    /** Kills a process and waits for it to be gone. */
    static void kill(Process process) throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * GStreamer's RTSP server on 127.0.0.1 (src/test/resources/rtsp-server.py): 320x240, 15 fps, at /cam;
     * {@code more} is its optional last argument (seconds after which its timestamps stop advancing).
     */
    static Process rtspServer(int port, String codec, String... more) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", resource("rtsp-server.py").toString(),
                Integer.toString(port), "/cam", "320", "240", "15", codec));
        command.addAll(List.of(more));
        return startAndAwait("READY", 15_000, command.toArray(String[]::new));
    }

    /** Sends a signal ("STOP", "CONT") to a process. */
    static void signal(Process process, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** Polls {@code condition} every 10 ms until it holds or {@code timeoutMs} passed. */
    static boolean await(long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** A ready-made file of the resources folder (target/test-classes). */
    static Path resource(String name) {
        try {
            return Path.of(TestTools.class.getResource("/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
