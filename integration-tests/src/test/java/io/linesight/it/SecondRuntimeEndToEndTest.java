package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 8: a second runtime started by mistake beside a running one (a copied installation with the same
 * ports and the same PLC) says in its final start-up line which ports it could not open, exits with status 1 under
 * {@code --strict}, and without it runs but never drives the first runtime's PLC: the master lock registers show
 * the first runtime's lease advancing, so its output drives nothing and raises PLC_OTHER_MASTER.
 */
class SecondRuntimeEndToEndTest {

    private static final String PLC_FILE = "io.linesight.plc.modbus-default.cfg";

    @Test
    void aSecondRuntimeNamesThePortsItCouldNotOpenAndNeverDrivesTheFirstOnesPlc() throws Exception {
        int opcua = RuntimeProcess.freePort();
        int telnet = RuntimeProcess.freePort();
        int plc = RuntimeProcess.freePort();
        try (RuntimeProcess first = new RuntimeProcess("first");
             RuntimeProcess strict = new RuntimeProcess("second-strict");
             RuntimeProcess second = new RuntimeProcess("second")) {
            for (RuntimeProcess r : List.of(first, strict, second)) {
                r.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(opcua));
                r.set("io.linesight.console.telnet.cfg", "port", String.valueOf(telnet));
                r.set("io.linesight.plc.simulator.cfg", "port", String.valueOf(plc));
                r.set(PLC_FILE, "port", String.valueOf(plc));
                r.set(PLC_FILE, "ejectDelayMs", "0"); // every reject is sent at once: none is missed for lateness
            }
            first.start();
            first.await(() -> lineState(first).equals(Optional.of("RUNNING")), 60, "the first runtime's line to run");
            first.await(() -> output(first).map(o -> o.get("state").getAsString()).orElse("").equals("CONNECTED"),
                    30, "the first runtime to own its PLC");

            strict.useHttpPort(first.httpPort());
            strict.launch("--strict");
            assertEquals(1, strict.awaitExit(120), "--strict exits with status 1 when a port cannot be opened");
            String summary = strict.outputLine("LineSight started");
            assertTrue(summary.contains("4 FAILED: OPC UA port " + opcua + " in use, PLC simulator port " + plc
                    + " in use, telnet console port " + telnet + " in use, HTTP port " + first.httpPort() + " in use"),
                    summary);

            second.start();
            assertTrue(second.outputLine("LineSight started").contains("3 FAILED"), second.outputLine("LineSight started"));
            second.await(() -> alarmActive(second, "PLC_OTHER_MASTER"), 60, "the second runtime's PLC_OTHER_MASTER");
            long rejectsBefore = rejects(second);
            second.await(() -> rejects(second) >= rejectsBefore + 3, 60, "the second runtime to reject 3 more parts");
            JsonObject output = output(second).orElseThrow();
            assertEquals("DISCONNECTED", output.get("state").getAsString());
            assertTrue(output.get("detail").getAsString().contains("driven by another LineSight runtime"), output.toString());
            assertEquals(0, output.getAsJsonObject("counters").get("pulsesSent").getAsLong(),
                    "the second runtime never pulsed the first one's ejector: " + output);
            assertEquals("CONNECTED", output(first).orElseThrow().get("state").getAsString(), "the first keeps its PLC");

            assertEquals(0, second.terminate(15));
            assertEquals(0, first.terminate(15));
        }
    }

    private Optional<String> lineState(RuntimeProcess r) {
        return Rest.array(r, "/api/lines").stream().filter(l -> l.get("id").getAsString().equals("default"))
                .map(l -> l.get("state").getAsString()).findFirst();
    }

    private Optional<JsonObject> output(RuntimeProcess r) {
        return Rest.array(r, "/api/outputs").stream().filter(o -> o.get("id").getAsString().equals("default")).findFirst();
    }

    private long rejects(RuntimeProcess r) {
        return Rest.array(r, "/api/lines").stream().filter(l -> l.get("id").getAsString().equals("default"))
                .mapToLong(l -> l.getAsJsonObject("counters").get("reject").getAsLong()).findFirst().orElse(0);
    }

    private boolean alarmActive(RuntimeProcess r, String kind) {
        return Rest.array(r, "/api/alarms").stream()
                .anyMatch(a -> a.get("kind").getAsString().equals(kind) && a.get("active").getAsBoolean());
    }
}
