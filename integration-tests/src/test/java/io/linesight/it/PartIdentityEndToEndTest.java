package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 16, on the real runtime: a frame's sequence is the part's identity at the PLC (result registers
 * base+11..12, the number the part id carries). The camera is restarted twice while the line runs, once by editing
 * its .cfg and once by deleting and restoring the file, and each time it counts again from 1; the sequences the PLC
 * receives must still only increase, so no part id repeats within the run.
 */
class PartIdentityEndToEndTest {

    private static final String CAMERA = "io.linesight.camera.sim-conveyor.cfg";
    private static final int SEQUENCE_HIGH = 10 + 11;
    private static final int SEQUENCE_LOW = 10 + 12;

    @Test
    void sequencesStayUniqueAndIncreasingAcrossCameraRestarts() throws Exception {
        int plcPort = RuntimeProcess.freePort();
        try (RecordingPlc plc = new RecordingPlc(plcPort); RuntimeProcess runtime = new RuntimeProcess("identity")) {
            Files.delete(runtime.config("io.linesight.plc.simulator.cfg"));
            runtime.set("io.linesight.plc.modbus-default.cfg", "port", String.valueOf(plcPort));
            runtime.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            runtime.set("io.linesight.console.telnet.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            runtime.start();
            runtime.await(() -> sequences(plc).size() >= 20, 60, "20 results at the PLC");

            int beforeEdit = sequences(plc).size();
            runtime.set(CAMERA, "seed", "7"); // a changed file restarts the camera, which counts from 1 again
            runtime.await(() -> sequences(plc).size() >= beforeEdit + 30, 60, "30 results after the camera edit");

            String camera = Files.readString(runtime.config(CAMERA));
            Files.delete(runtime.config(CAMERA));
            int beforeReturn = sequences(plc).size();
            runtime.await(() -> runtime.outputContains("camera conveyor went away"), 30, "the camera to go");
            Files.writeString(runtime.config(CAMERA), camera);
            runtime.await(() -> sequences(plc).size() >= beforeReturn + 30, 60, "30 results after the camera came back");

            List<Long> sequences = sequences(plc);
            for (int i = 1; i < sequences.size(); i++) {
                assertTrue(sequences.get(i) > sequences.get(i - 1), "part id " + sequences.get(i) + " after "
                        + sequences.get(i - 1) + " at result " + i + " of " + sequences);
            }
            System.out.println("part identity: " + sequences.size() + " results, sequences " + sequences.get(0) + ".."
                    + sequences.get(sequences.size() - 1) + ", strictly increasing across 2 camera restarts");
            assertEquals(0, runtime.terminate(15));
        }
    }

    /** The frame sequence of every result the PLC received, in order (two registers, high word first). */
    private static List<Long> sequences(RecordingPlc plc) {
        List<Integer> high = plc.registerWrites.getOrDefault(SEQUENCE_HIGH, List.of());
        List<Integer> low = plc.registerWrites.getOrDefault(SEQUENCE_LOW, List.of());
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < Math.min(high.size(), low.size()); i++) {
            out.add(((long) high.get(i) << 16) | low.get(i));
        }
        return out;
    }
}
