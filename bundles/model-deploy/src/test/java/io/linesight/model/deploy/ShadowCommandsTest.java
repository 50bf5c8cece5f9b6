package io.linesight.model.deploy;

import static io.linesight.model.deploy.Fixture.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model:shadow, model:unshadow and model:promote as Gogo dispatches them, against a real service. */
class ShadowCommandsTest {

    @TempDir
    Path tmp;
    Fixture fx;
    TestLine line;
    CommandProcessorImpl processor = new CommandProcessorImpl();

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(tmp);
        ModelDeploymentService service = fx.service();
        DeployCommands commands = new DeployCommands(service, fx.settings(false, null));
        line = fx.line(new TestLine("line-1"));
        service.bindLine(line);
        commands.bindLine(line);
        service.deploy(fx.signed("0.3.0", 6), "tester");
        service.deploy(fx.signed("0.4.0", 6), "tester");
        service.activate("line-1", NAME, "0.3.0", "tester", null);
        for (String function : new String[] {"shadow", "unshadow", "promote", "history"}) {
            processor.addCommand("model", commands, function);
        }
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private String run(String command) throws Exception {
        try (CommandSessionImpl session = processor.createSession(new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream())) {
            return String.valueOf(session.execute(command));
        }
    }

    @Test
    void startShowPromoteAndTheRefusals() throws Exception {
        assertEquals("Line 'line-1' has run no shadow trial; start one with model:shadow line-1 <name@version>",
                run("model:shadow line-1"));
        String started = run("model:shadow line-1 " + NAME + "@0.4.0");
        assertTrue(started.startsWith("Line 'line-1' runs " + NAME + "@0.4.0 in shadow beside " + NAME + "@0.3.0 (#2)."
                + " Gate: signature: key 'acme' trusted now; accuracy 100.0 % (6/6)"), started);

        line.shadowFrames = 150;
        String figures = run("model:shadow line-1");
        System.out.println(figures);
        assertTrue(figures.startsWith("Line 'line-1': shadow trial of " + NAME + ":0.4.0 beside active " + NAME + ":0.3.0"),
                figures);
        assertTrue(figures.contains("State:    READY_TO_PROMOTE\n"), figures);
        assertTrue(figures.contains("active \\ candidate      PASS    REJECT    REVIEW\nPASS                     150"), figures);
        assertTrue(figures.contains("Ready: model:promote line-1"), figures);

        String promoted = run("model:promote line-1");
        assertTrue(promoted.startsWith("Line 'line-1' now runs " + NAME + "@0.4.0 (activate #3, before: " + NAME + "@0.3.0)"),
                promoted);
        assertTrue(run("model:shadow line-1").contains("State:    PROMOTED"));
        assertTrue(run("model:unshadow line-1").startsWith("Refused (INVALID_STATE): Line 'line-1' runs no shadow trial;"
                + " its last trial (" + NAME + ":0.4.0) is PROMOTED"));
        assertTrue(run("model:shadow line-1 nonsense").startsWith("Refused: 'nonsense' is not name@version"));
        assertTrue(run("model:shadow line-9").startsWith("No line 'line-9'"));
        assertTrue(run("model:promote").startsWith("Usage: model:promote <line>"));
        assertTrue(run("model:shadow").startsWith("Usage: model:shadow <line> [<name@version>]"));
    }
}
