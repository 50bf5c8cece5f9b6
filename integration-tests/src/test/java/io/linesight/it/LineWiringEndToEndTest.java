package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 4: a PLC output drives only the lines it names. On the real runtime with a real Modbus slave as
 * the PLC: a line added by copying example files never drives the shipped output's ejector (coil 0, named
 * {@code lines=default}); an output that names no lines drives the runtime's only line, and drives none, with an
 * alarm, its fault coil ON and the rejects counted as missed, once a second line runs; naming the line clears it.
 */
class LineWiringEndToEndTest {

    private static final int REJECT_COIL = 0;
    private static final int FAULT_COIL = 1;
    private static final String PLC_FILE = "io.linesight.plc.modbus-default.cfg";
    private static final long WAIT_S = 60;

    @Test
    void anOutputDrivesOnlyTheLinesItNamesAndNoneWhenItCannotTellWhoseRejectItIs() throws Exception {
        int plcPort = RuntimeProcess.freePort();
        try (RecordingPlc plc = new RecordingPlc(plcPort); RuntimeProcess runtime = new RuntimeProcess("wiring")) {
            prepare(runtime, plcPort);
            runtime.start();

            // A: only the golden line runs; the shipped output names line default, so coil 0 never goes ON
            runtime.await(() -> rejects(runtime, "golden") >= 5, WAIT_S, "the golden line to reject 5 parts");
            assertEquals(0, pulses(plc), "a line the output does not name never drives its ejector");

            // B: the output names no lines and golden is the only line: it is served
            String named = Files.readString(runtime.config(PLC_FILE));
            Files.writeString(runtime.config(PLC_FILE), named.replace("lines=default\n", ""));
            runtime.await(() -> pulses(plc) >= 3, WAIT_S, "the only line's rejects to be pulsed");

            // C: a second line appears: the unnamed output drives no ejector, says so everywhere, holds the fault coil
            Files.copy(RuntimeProcess.REPO.resolve("config/io.linesight.line-default.cfg"),
                    runtime.config("io.linesight.line-default.cfg"));
            runtime.await(() -> alarm(runtime, "OUTPUT_LINES_AMBIGUOUS", true), WAIT_S, "the wiring alarm");
            runtime.await(() -> plc.coil(FAULT_COIL), 10, "the fault coil ON");
            Thread.sleep(1_000); // a pulse already timed before the second line appeared may still go out
            long ambiguousFrom = pulses(plc);
            long goldenRejects = rejects(runtime, "golden");
            runtime.await(() -> rejects(runtime, "golden") >= goldenRejects + 3, WAIT_S, "3 more golden rejects");
            assertEquals(ambiguousFrom, pulses(plc), "no pulse while the output cannot tell whose part it is");
            runtime.await(() -> missedAsAmbiguous(runtime) >= 3, 10, "the unpulsed rejects counted as missed");
            assertTrue(Rest.get(runtime, "/api/outputs").contains("names no lines"), Rest.get(runtime, "/api/outputs"));

            // D: naming the line clears the alarm, the fault coil, and pulses resume
            Files.writeString(runtime.config(PLC_FILE), named.replace("lines=default", "lines=golden"));
            runtime.await(() -> alarm(runtime, "OUTPUT_LINES_AMBIGUOUS", false), WAIT_S, "the wiring alarm cleared");
            runtime.await(() -> !plc.coil(FAULT_COIL), 10, "the fault coil OFF");
            long resumedFrom = pulses(plc);
            runtime.await(() -> pulses(plc) >= resumedFrom + 3, WAIT_S, "golden's rejects pulsed again");
            assertEquals(0, runtime.terminate(15));
        }
    }

    private static void prepare(RuntimeProcess runtime, int plcPort) throws Exception {
        Files.delete(runtime.config("io.linesight.plc.simulator.cfg")); // the test's slave is the PLC
        Files.delete(runtime.config("io.linesight.line-default.cfg")); // the runtime starts with the golden line only
        runtime.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
        runtime.set("io.linesight.console.telnet.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
        runtime.set(PLC_FILE, "port", String.valueOf(plcPort));
        runtime.set(PLC_FILE, "ejectDelayMs", "0"); // no eject deadline: a slow CI machine misses no pulse
        Files.writeString(runtime.config(PLC_FILE), "lineFaultCoil=" + FAULT_COIL + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertTrue(Files.readString(runtime.config(PLC_FILE)).contains("lines=default\n"),
                "the shipped output names its line");
        Path examples = RuntimeProcess.REPO.resolve("config-examples");
        Files.writeString(runtime.config("io.linesight.camera.folder-golden.cfg"),
                Files.readString(examples.resolve("io.linesight.camera.folder-golden.cfg"))
                        .replace("loop=false", "loop=true").replace("framesPerSecond=5", "framesPerSecond=10"));
        Files.copy(examples.resolve("io.linesight.line-golden.cfg"), runtime.config("io.linesight.line-golden.cfg"));
    }

    private static long pulses(RecordingPlc plc) {
        return plc.risingEdges(REJECT_COIL);
    }

    private long rejects(RuntimeProcess runtime, String lineId) {
        return Rest.array(runtime, "/api/lines").stream()
                .filter(l -> l.get("id").getAsString().equals(lineId))
                .mapToLong(l -> l.getAsJsonObject("counters").get("reject").getAsLong()).findFirst().orElse(0);
    }

    /** True when an alarm of that kind is listed and (not) active. */
    private boolean alarm(RuntimeProcess runtime, String kind, boolean active) {
        return Rest.array(runtime, "/api/alarms").stream()
                .anyMatch(a -> a.get("kind").getAsString().equals(kind) && a.get("active").getAsBoolean() == active);
    }

    private long missedAsAmbiguous(RuntimeProcess runtime) {
        return List.of(Rest.get(runtime, "/metrics").split("\n")).stream()
                .filter(l -> l.startsWith("linesight_plc_rejects_missed_total{") && l.contains("LINES_AMBIGUOUS"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
