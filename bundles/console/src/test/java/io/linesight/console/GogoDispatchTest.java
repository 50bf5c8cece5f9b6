package io.linesight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console's commands as Gogo's own runtime parses and dispatches them (no framework): a command typed with
 * missing or extra arguments answers with its usage in one sentence instead of "Cannot coerce ...", and a command
 * typed right still reaches its method.
 */
class GogoDispatchTest {

    private final CommandProcessorImpl processor = new CommandProcessorImpl();
    private final CommandSessionImpl session;

    GogoDispatchTest() {
        InspectCommands inspect = new InspectCommands();
        inspect.bindLine(Statuses.line("default", () -> Statuses.running("default")), Statuses.props("default"));
        processor.addCommand("inspect", inspect, "lines");
        processor.addCommand("inspect", inspect, "status");
        processor.addCommand("inspect", new OutputCommands(), "outputs");
        AlarmCommands alarms = new AlarmCommands();
        for (String function : new String[] {"list", "ack", "journal"}) {
            processor.addCommand("alarm", alarms, function);
        }
        processor.addCommand("bundle", new BundleCommands(null, null), "upgrade");
        processor.addCommand("linesight", new CommandOverview(null), "linesight");
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
    }

    @AfterEach
    void close() {
        session.close();
    }

    @Test
    void missingOrExtraArgumentsGiveTheUsageOfThatCommand() throws Exception {
        assertEquals("Usage: inspect:status <line>, e.g. inspect:status default; lines: default (no argument given).",
                run("inspect:status"));
        assertEquals("Usage: inspect:status <line>, e.g. inspect:status default; lines: default (2 arguments given).",
                run("inspect:status default extra"));
        assertEquals("Usage: alarm:ack <id>, e.g. alarm:ack 12 (no argument given).", run("alarm:ack"));
        assertEquals("Usage: alarm:journal [n], e.g. alarm:journal 100 (2 arguments given).", run("alarm:journal 1 2"));
        assertEquals("Usage: alarm:list, without arguments (1 argument given).", run("alarm:list now"));
        assertEquals("Usage: inspect:lines, without arguments (1 argument given).", run("inspect:lines x"));
        assertEquals("Usage: inspect:outputs [output], e.g. inspect:outputs default (2 arguments given).",
                run("inspect:outputs a b"));
        assertTrue(run("bundle:upgrade").startsWith("Usage: bundle:upgrade <jar path or URL>, e.g. bundle:upgrade /"));
        assertEquals("Usage: linesight, without arguments (1 argument given).", run("linesight x"));
    }

    @Test
    void rightArgumentsStillReachTheirMethodEvenWhenGogoReadsANumber() throws Exception {
        assertEquals(StatusFormatter.detail(Statuses.running("default")), run("inspect:status default"));
        assertEquals("No line 'nope'. Known lines: default", run("inspect:status nope"));
        // 12 and 100 are parsed as numbers first; the String forms still fit better than _main
        assertEquals(AlarmCommands.NO_BOARD, run("alarm:ack 12"));
        assertEquals(AlarmCommands.NO_BOARD, run("alarm:journal 100"));
        assertEquals(AlarmCommands.NO_BOARD, run("alarm:journal"));
        assertEquals(OutputTable.NO_OUTPUT, run("inspect:outputs"));
    }

    @Test
    void aJarThatIsNotThereIsOneSentenceAndNothingIsTouched() throws Exception {
        String answer = run("bundle:upgrade /no/such/bundle.jar");
        assertTrue(answer.startsWith("No file /no/such/bundle.jar: give the path of the new bundle's jar"), answer);
        assertTrue(answer.endsWith("nothing was changed."), answer);
        assertFalse(answer.contains("\n"), answer);
    }

    private String run(String commandLine) throws Exception {
        Object result = session.execute(commandLine);
        String text = String.valueOf(result);
        assertFalse(text.contains("Exception") || text.contains("Cannot coerce"), text);
        return text;
    }
}
