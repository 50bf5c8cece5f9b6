package io.linesight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the configurator on private LoggerContexts, as Logback's auto-configuration would. */
class LogbackConfiguratorTest {

    @TempDir
    Path tmp;

    private final LoggerContext context = new LoggerContext();

    @BeforeEach
    void pointLogsAtTheTempFolder() {
        context.setMDCAdapter(new LogbackMDCAdapter()); // as SLF4J's provider does; appenders read it per event
        System.setProperty("linesight.data", tmp.toString());
    }

    @AfterEach
    void restore() {
        context.stop();
        System.clearProperty(LogbackConfigurator.CONFIG_PROPERTY);
        System.clearProperty("linesight.data");
    }

    @Test
    void theBuiltInDefaultIsTheShippedConfigAndAppliesCleanly() {
        assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configure(LogbackConfigurator.BUILT_IN));

        assertNoErrors();
        assertNull(context.getObject(LogbackConfigurator.FALLBACK_REASON));
        assertEquals(Level.WARN, context.getLogger("io.netty").getLevel());
        assertNotNull(context.getLogger("ROOT").getAppender("FILE"));
        context.getLogger("test").info("hello");
        assertTrue(Files.exists(tmp.resolve("logs/linesight.log")));
    }

    @Test
    void theStatusLinesGoToTheirOwnFileOnly() throws IOException {
        configure(LogbackConfigurator.BUILT_IN);
        assertFalse(context.getLogger("linesight.status").isAdditive(), "not on the terminal, not in linesight.log");
        assertNotNull(context.getLogger("linesight.status").getAppender("STATUS_FILE"));

        context.getLogger("linesight.status").info("line default RUNNING fps=10.0");
        context.getLogger("io.linesight.line.InspectionLineComponent").info("Line 'default' is RUNNING");
        context.stop(); // flushes and closes the files

        assertEquals(List.of("line default RUNNING fps=10.0"), Files.readAllLines(tmp.resolve("logs/status.log")).stream()
                .map(l -> l.substring(l.indexOf(' ', l.indexOf(' ') + 1) + 1)).toList());
        List<String> log = Files.readAllLines(tmp.resolve("logs/linesight.log"));
        assertTrue(log.stream().anyMatch(l -> l.endsWith("Line 'default' is RUNNING")), log.toString());
        assertTrue(log.stream().noneMatch(l -> l.contains("fps=")), "no status line in linesight.log: " + log);
    }

    /** Gogo swaps System.out while a console command runs; the log must not follow it into the session. */
    @Test
    void theConsoleAppenderWritesToTheProcessOutputNotToAReplacedSystemOut() {
        configure(LogbackConfigurator.BUILT_IN);
        assertTrue(context.getLogger("ROOT").getAppender("CONSOLE") instanceof ProcessConsoleAppender);
        PrintStream original = System.out;
        ByteArrayOutputStream session = new ByteArrayOutputStream();
        System.setOut(new PrintStream(session, true, StandardCharsets.UTF_8));
        try {
            context.getLogger("io.linesight.test").warn("logged while a command runs");
        } finally {
            System.setOut(original);
        }
        assertEquals("", session.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anOperatorFileIsUsedWhenItIsValid() throws IOException {
        Path file = Files.writeString(tmp.resolve("logback.xml"), """
                <configuration><logger name="io.linesight" level="DEBUG"/></configuration>
                """);

        configure(file.toString());

        assertNoErrors();
        assertEquals(Level.DEBUG, context.getLogger("io.linesight").getLevel());
        assertNull(context.getObject(LogbackConfigurator.FALLBACK_REASON));
    }

    @Test
    void aMalformedFileFallsBackToTheBuiltInDefaultWithOneReason() throws IOException {
        Path file = Files.writeString(tmp.resolve("logback.xml"), "<configuration><appender name=\"X\"");

        configure(file.toString());

        String reason = (String) context.getObject(LogbackConfigurator.FALLBACK_REASON);
        assertNotNull(reason);
        assertTrue(reason.startsWith("Logging configuration " + file + " is not usable ("), reason);
        assertTrue(reason.endsWith("; using the built-in default configuration"), reason);
        assertNotNull(context.getLogger("ROOT").getAppender("CONSOLE"), "built-in default applied");
        assertNoErrors();
    }

    @Test
    void anUnknownAppenderClassAlsoFallsBack() throws IOException {
        Path file = Files.writeString(tmp.resolve("logback.xml"), """
                <configuration><appender name="A" class="com.example.NoSuchAppender"/>
                <root level="INFO"><appender-ref ref="A"/></root></configuration>
                """);

        configure(file.toString());

        assertNotNull(context.getObject(LogbackConfigurator.FALLBACK_REASON));
        assertNotNull(context.getLogger("ROOT").getAppender("FILE"), "built-in default applied");
    }

    @Test
    void withoutThePropertyLogbackKeepsItsOwnSearch() {
        LogbackConfigurator configurator = new LogbackConfigurator();
        configurator.setContext(context);

        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context));
    }

    private ExecutionStatus configure(String location) {
        System.setProperty(LogbackConfigurator.CONFIG_PROPERTY, location);
        LogbackConfigurator configurator = new LogbackConfigurator();
        configurator.setContext(context);
        return configurator.configure(context);
    }

    /** After a fallback the failed attempt's statuses are gone, so Logback prints no stack traces. */
    private void assertNoErrors() {
        assertTrue(new StatusUtil(context).getHighestLevel(0) < Status.ERROR,
                () -> context.getStatusManager().getCopyOfStatusList().toString());
    }
}
