package io.linesight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class StatusReporterTest {

    private final List<String> logged = new CopyOnWriteArrayList<>();

    @Test
    void oneLinePerInspectionLineInIdOrder() {
        StatusReporter reporter = new StatusReporter(1, logged::add);
        reporter.bindLine(Statuses.line("b", () -> Statuses.faulted("b")), Statuses.props("b"));
        reporter.bindLine(Statuses.line("a", () -> Statuses.running("a")), Statuses.props("a"));

        reporter.logAll();

        assertEquals(List.of(StatusFormatter.logLine(Statuses.running("a")),
                StatusFormatter.logLine(Statuses.faulted("b"))), logged);
    }

    @Test
    void aFailingLineDoesNotStopTheOthers() {
        StatusReporter reporter = new StatusReporter(1, logged::add);
        reporter.bindLine(Statuses.line("a", () -> {
            throw new IllegalStateException("boom");
        }), Statuses.props("a"));
        reporter.bindLine(Statuses.line("b", () -> Statuses.running("b")), Statuses.props("b"));

        reporter.logAll();

        assertEquals(List.of(StatusFormatter.logLine(Statuses.running("b"))), logged);
    }

    @Test
    void logsPeriodicallyUntilStopped() {
        StatusReporter reporter = new StatusReporter(1, logged::add);
        reporter.bindLine(Statuses.line("default", () -> Statuses.running("default")), Statuses.props("default"));

        reporter.start();
        awaitTrue(() -> logged.size() >= 2, "two ticks");
        reporter.stop();

        assertFalse(reporter.isRunning());
        assertFalse(statusThreadAlive(), "status thread ended, so nothing more is logged");
        assertTrue(logged.stream().allMatch(line -> line.startsWith("line default RUNNING fps=9.8")), logged.toString());
    }

    @Test
    void zeroTurnsTheReporterOff() {
        StatusReporter reporter = new StatusReporter(0, logged::add);

        reporter.start();

        assertFalse(reporter.isRunning());
        reporter.stop();
    }

    @Test
    void aNegativeIntervalFailsNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StatusReporter(-1, logged::add));

        assertTrue(e.getMessage().contains("statusIntervalS") && e.getMessage().contains(StatusReporter.PID),
                e.getMessage());
    }

    private static boolean statusThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(StatusReporter.THREAD_NAME) && t.isAlive());
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
