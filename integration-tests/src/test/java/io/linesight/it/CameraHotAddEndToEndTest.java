package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Cameras and lines come and go with their configuration files while the runtime runs: dropping the
 * golden-set camera and line from config-examples/ into config/ starts a second line that judges the
 * golden set; deleting the camera's file stops the camera and leaves that line waiting, while the
 * default line keeps running throughout.
 */
class CameraHotAddEndToEndTest {

    private static final Pattern GOLDEN_STATUS = Pattern.compile("line golden RUNNING .*pass=(\\d+) reject=(\\d+)");

    @Test
    void aCameraAndLineAddedAtRuntimeRunAndRemovingTheCameraStopsOnlyIt() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess("hot-add")) {
            int plcPort = RuntimeProcess.freePort();
            runtime.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            runtime.set("io.linesight.console.telnet.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            runtime.set("io.linesight.plc.simulator.cfg", "port", String.valueOf(plcPort));
            runtime.set("io.linesight.plc.modbus-default.cfg", "port", String.valueOf(plcPort));
            runtime.start();
            runtime.await(() -> runtime.outputContains("Line 'default' is RUNNING"), 60, "the default line");

            Path examples = RuntimeProcess.REPO.resolve("config-examples");
            String camera = Files.readString(examples.resolve("io.linesight.camera.folder-golden.cfg"))
                    .replace("loop=false", "loop=true").replace("framesPerSecond=5", "framesPerSecond=20");
            Files.writeString(runtime.config("io.linesight.camera.folder-golden.cfg"), camera);
            Files.copy(examples.resolve("io.linesight.line-golden.cfg"), runtime.config("io.linesight.line-golden.cfg"));

            runtime.await(() -> goldenCounts(runtime) != null && goldenCounts(runtime)[0] + goldenCounts(runtime)[1] >= 40,
                    60, "the golden line to judge 40 images");
            long[] counts = goldenCounts(runtime);
            assertTrue(counts[0] > 0 && counts[1] > 0, "half the golden set is defective: pass=" + counts[0] + " reject=" + counts[1]);

            int before = runtime.output().size();
            int statusBefore = runtime.statusLog().size();
            Files.delete(runtime.config("io.linesight.camera.folder-golden.cfg"));
            runtime.await(() -> runtime.output().subList(before, runtime.output().size()).stream()
                    .anyMatch(l -> l.contains("Line 'golden' is STARTING")), 30, "the golden line to stop running");
            // its status line says why (the state-change line may have been logged as the stream stopped)
            runtime.await(() -> runtime.statusLog().stream().skip(statusBefore).anyMatch(l -> l.startsWith("line golden STARTING")
                    && l.contains("waiting for camera (source.id=golden)")), 10, "the golden line to lose its camera");
            runtime.await(() -> runtime.statusLog().stream().skip(statusBefore)
                    .filter(l -> l.startsWith("line default RUNNING")).count() >= 2, 10, "the default line to keep running");
            assertTrue(runtime.output().subList(before, runtime.output().size()).stream()
                    .noneMatch(l -> l.contains("Line 'default' is")), "the default line changed no state");
            assertEquals(0, runtime.terminate(10));
        }
    }

    /** {pass, reject} of the golden line's latest status line (status.log), or null before the first. */
    private static long[] goldenCounts(RuntimeProcess runtime) {
        List<String> lines = runtime.statusLog();
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = GOLDEN_STATUS.matcher(lines.get(i));
            if (m.find()) {
                return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
            }
        }
        return null;
    }
}
