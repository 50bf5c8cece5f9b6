package io.linesight.sparkplug.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link JournalChild} in a JVM of its own, with the test's classpath. Its stdout goes to a file, which the test
 * reads line by line: what the child flushed before a SIGKILL is in the file for certain (a pipe read through
 * {@code Process.getInputStream()} can lose the last lines when the process dies under the reader). Closing kills the
 * child if it still runs.
 */
final class ChildJvm implements AutoCloseable {

    /** How often the output file is looked at again while waiting for a line. */
    private static final long POLL_MILLIS = 5;

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final FileChannel output;
    private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
    private final ByteBuffer chunk = ByteBuffer.allocate(8192);
    private final List<String> pending = new ArrayList<>();

    private ChildJvm(Process process, Path stdout, Path stderr) throws IOException {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.output = FileChannel.open(stdout, StandardOpenOption.READ);
    }

    /** Starts the child; its stdout and stderr go to {@code <name>.out} and {@code <name>.err} in {@code dir}. */
    static ChildJvm start(Path dir, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"), JournalChild.class.getName()));
        command.addAll(List.of(args));
        Path stdout = dir.resolve(name + ".out");
        Path stderr = dir.resolve(name + ".err");
        Files.deleteIfExists(stdout);
        Files.createFile(stdout);
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        try {
            return new ChildJvm(process, stdout, stderr);
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /**
     * The next line the child wrote, or empty once it has ended and everything it wrote was read (a last line
     * without its newline, cut by a kill, comes as a line). Fails the test when nothing comes in time.
     */
    Optional<String> nextLine(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.isEmpty()) {
            boolean ended = !process.isAlive();
            if (readAvailable() > 0) {
                continue;
            }
            if (ended) {
                return lastCutLine();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the child printed nothing for " + timeout + "; its stderr: "
                        + stderrText());
            }
            Thread.sleep(POLL_MILLIS);
        }
        return Optional.of(pending.remove(0));
    }

    private int readAvailable() throws IOException {
        chunk.clear();
        int read = output.read(chunk);
        for (int i = 0; i < Math.max(read, 0); i++) {
            byte b = chunk.get(i);
            if (b == '\n') {
                pending.add(partialLine.toString(StandardCharsets.US_ASCII));
                partialLine.reset();
            } else {
                partialLine.write(b);
            }
        }
        return Math.max(read, 0);
    }

    private Optional<String> lastCutLine() {
        if (partialLine.size() == 0) {
            return Optional.empty();
        }
        String cut = partialLine.toString(StandardCharsets.US_ASCII);
        partialLine.reset();
        return Optional.of(cut);
    }

    /** SIGKILL, as {@code kill -9}, and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the child did not die within 60 s of SIGKILL");
        }
    }

    /** Closes the child's stdin (a {@code hold} child then closes its journal and ends). */
    void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the child did not end within " + timeout + "; its stderr: " + stderrText());
        }
        return process.exitValue();
    }

    String stderrText() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        try {
            if (process.isAlive()) {
                kill();
            }
        } finally {
            output.close();
        }
    }

    @Override
    public String toString() {
        return "child " + process.pid() + " writing " + stdout;
    }
}
