package io.linesight.model.deploy;

import static io.linesight.model.deploy.Fixture.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model:* commands against a real service, with a package served over real HTTP. */
class DeployCommandsTest {

    @TempDir
    Path tmp;
    Fixture fx;
    HttpServer http;
    DeployCommands commands;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(tmp);
        ModelDeploymentService service = fx.service();
        commands = new DeployCommands(service, fx.settings(false, null));
        TestLine line = fx.line(new TestLine("line-1"));
        service.bindLine(line);
        commands.bindLine(line);
        byte[] zip = Files.readAllBytes(TestPackages.zip(fx.signed("0.3.0", 6), tmp.resolve("m.zip")));
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/models/m.zip", exchange -> {
            exchange.sendResponseHeaders(200, zip.length);
            exchange.getResponseBody().write(zip);
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void tearDown() {
        http.stop(0);
        fx.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    @Test
    void deployFromAUrlThenActivateListAndShowTheHistory() {
        String deployed = commands.deploy(url("/models/m.zip"));
        assertTrue(deployed.startsWith("Stored " + NAME + "@0.3.0 (signed by acme, model sha256 df216f224300...)"),
                deployed);
        String activated = commands.activate("line-1", NAME + "@0.3.0", "new scratch model");
        assertTrue(activated.startsWith("Line 'line-1' now runs " + NAME + "@0.3.0 (activate #1, before: no model)."
                + " Gate: signature: key 'acme' trusted now; accuracy 100.0 % (6/6)"), activated);

        String list = commands.list();
        System.out.println(list);
        String[] rows = list.split("\n");
        assertEquals(2, rows.length, list);
        assertTrue(rows[0].matches("MODEL +STATE +SHA256 +SIGNED BY +STORED +GATE / REFUSAL"), rows[0]);
        assertTrue(rows[1].matches(NAME + "@0\\.3\\.0  active on line-1  df216f224300  acme +\\S+ \\S+ +pass accuracy 100\\.0% .*"),
                rows[1]);

        String history = commands.history("line-1");
        System.out.println(history);
        String[] entries = history.split("\n");
        assertEquals(2, entries.length, history);
        assertTrue(entries[0].matches("SEQ +TIME +ACTION +MODEL +PREVIOUS +ACTOR +REASON +GATE"), entries[0]);
        assertTrue(entries[1].matches("1 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ +activate +" + NAME
                + "@0\\.3\\.0 +- +console +new scratch model +pass accuracy 100\\.0% .*"), entries[1]);
    }

    @Test
    void removeDeletesAStoredVersionRefusesTheActiveOneAndHistoryMarksWhatWasRemoved() throws Exception {
        commands.deploy(url("/models/m.zip"));
        commands.deploy(fx.signed("0.4.0", 2).toString());
        commands.deploy(fx.signed("0.5.0", 2).toString());
        commands.activate("line-1", NAME + "@0.3.0");
        commands.activate("line-1", NAME + "@0.4.0");
        commands.activate("line-1", NAME + "@0.5.0");

        String list = commands.list();
        assertTrue(list.contains(NAME + "@0.3.0  retired") && list.contains(NAME + "@0.4.0  retired, rollback target of line-1")
                && list.contains(NAME + "@0.5.0  active on line-1"), list);
        assertEquals("Refused (INVALID_STATE): Cannot remove " + NAME + "@0.5.0: it is active on line 'line-1'; activate"
                + " another version there first", commands.remove(NAME + "@0.5.0"));
        assertEquals("Removed " + NAME + "@0.3.0 (it was retired). Its history entries stay; model:history marks it"
                + " (removed).", commands.remove(NAME + "@0.3.0"));
        assertTrue(commands.remove(NAME + "@0.3.0").startsWith("Refused (NOT_FOUND): No package " + NAME + "@0.3.0"));
        assertTrue(commands.remove("nonsense").startsWith("Usage: " + DeployCommands.REMOVE_USAGE));

        String[] history = commands.history("line-1").split("\n");
        assertEquals(4, history.length);
        assertTrue(history[1].contains(NAME + "@0.3.0 (removed)"), history[1]);
        assertTrue(history[2].matches(".* activate +" + NAME + "@0\\.4\\.0 +" + NAME + "@0\\.3\\.0 +console .*"),
                "PREVIOUS is as recorded: " + history[2]);
        assertFalse(commands.list().contains("@0.3.0"));
    }

    @Test
    void refusalsAreOneLineWithTheirReason() throws Exception {
        assertTrue(commands.deploy(url("/models/missing.zip")).startsWith("Refused (NOT_FOUND): Download of "));
        assertTrue(commands.deploy("no-such.zip").startsWith("Refused (NOT_FOUND): No package at "));
        assertTrue(commands.rollback("line-1").startsWith("Refused (INVALID_STATE): Line 'line-1' has nothing to roll back to"));
        assertTrue(commands.activate("line-1", "nonsense").startsWith("Refused: 'nonsense' is not name@version"));
        assertTrue(commands.activate("line-9", NAME + "@0.3.0").startsWith("Refused (NOT_FOUND): No line 'line-9'"));
        assertEquals(DeployTables.NO_PACKAGE, commands.list());
        assertTrue(commands.history("line-1").contains("no activation history"));
        String unknown = commands.history("nope");
        assertTrue(unknown.startsWith("No line 'nope': lines are [line-1]"), "an unknown line runs nothing: " + unknown);
        Path unsigned = TestPackages.zip(fx.unsigned("0.4.0", 2), tmp.resolve("u.zip"));
        String refused = commands.deploy(unsigned.toUri().toString());
        assertTrue(refused.startsWith("Refused (NOT_TRUSTED): Package " + NAME + "@0.4.0 (u.zip) is not signed"), refused);
    }

    /** As Gogo's runtime dispatches them: a wrong number of arguments is the usage, never "Cannot coerce ...". */
    @Test
    void missingOrExtraArgumentsAnswerWithTheUsageInGogo() throws Exception {
        CommandProcessorImpl processor = new CommandProcessorImpl();
        for (String function : new String[] {"deploy", "list", "activate", "rollback", "history", "remove"}) {
            processor.addCommand("model", commands, function);
        }
        try (CommandSessionImpl session = processor.createSession(new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream())) {
            assertEquals("Usage: model:history <line>, e.g. model:history default (no argument given).",
                    session.execute("model:history"));
            assertEquals("Usage: model:history <line>, e.g. model:history default (3 arguments given).",
                    session.execute("model:history line-1 x y"));
            assertEquals("Usage: model:activate <line> <name@version> [\"reason\"], e.g. model:activate default"
                    + " defect-mobilenetv2@0.2.1 \"new lighting\" (4 arguments given).",
                    session.execute("model:activate line-1 m@1 new lighting"));
            assertTrue(String.valueOf(session.execute("model:deploy")).startsWith("Usage: model:deploy <zip, folder or URL>"));
            assertTrue(String.valueOf(session.execute("model:rollback")).startsWith("Usage: model:rollback <line>"));
            assertTrue(String.valueOf(session.execute("model:list all")).startsWith("Usage: model:list, without arguments"));
            assertEquals("Usage: " + DeployCommands.REMOVE_USAGE + " (no argument given).", session.execute("model:remove"));
            // the forms that fit still run, a quoted reason included
            assertTrue(String.valueOf(session.execute("model:activate line-9 " + NAME + "@0.3.0 \"new lighting\""))
                    .startsWith("Refused (NOT_FOUND): No line 'line-9'"));
            assertTrue(String.valueOf(session.execute("model:history nope")).startsWith("No line 'nope'"));
        }
    }
}
