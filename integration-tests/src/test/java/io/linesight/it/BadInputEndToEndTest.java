package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad input at startup: a port already taken, a line whose model package does not exist, a line whose
 * decision thresholds contradict each other. The runtime must start everything else, keep the good
 * line running, say in one clear line per problem what is wrong and where, and print no stack trace.
 */
class BadInputEndToEndTest {

    @Test
    void startsWhatItCanAndNamesEachProblem() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess("bad-input");
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int plcPort = RuntimeProcess.freePort();
            runtime.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(taken.getLocalPort()));
            runtime.set("io.linesight.console.telnet.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            runtime.set("io.linesight.plc.simulator.cfg", "port", String.valueOf(plcPort));
            runtime.set("io.linesight.plc.modbus-default.cfg", "port", String.valueOf(plcPort));
            Files.writeString(runtime.config("io.linesight.camera.sim-second.cfg"), "source.id=second\n");
            Files.writeString(runtime.config("io.linesight.line-nomodel.cfg"),
                    "line.id=nomodel\ncamera.target=(source.id=second)\nmodel.package=models/no-such-model\n");
            Files.writeString(runtime.config("io.linesight.line-contradiction.cfg"),
                    "line.id=contradiction\ncamera.target=(source.id=second)\nmodel.package=models/defect-mobilenetv2\n"
                            + "reject.minConfidence=0.5\nreview.minConfidence=0.9\n");
            runtime.start();

            assertTrue(runtime.outputLine("LineSight started").contains(" 0 failed"));
            runtime.await(() -> runtime.outputContains("Line 'default' is RUNNING"), 60, "the default line to run");
            runtime.await(() -> runtime.outputContains("Line 'nomodel' is FAULT"), 60, "the line without a model to report FAULT");
            String missingModel = runtime.outputLine("Line 'nomodel': model.package");
            assertTrue(missingModel.contains("no-such-model is not a folder: fix model.package in the line's file"),
                    missingModel);
            runtime.await(() -> runtime.outputContains("Line 'nomodel' is FAULT: model.package "), 10,
                    "the FAULT naming the folder once, without the line's name twice");
            String contradiction = runtime.outputLine("Invalid configuration io.linesight.line for line 'contradiction'");
            assertTrue(contradiction.contains("review.minConfidence <= reject.minConfidence"), contradiction);
            String portInUse = runtime.outputLine("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertTrue(portInUse.contains("ERROR") && portInUse.contains("io.linesight.scada.opcua"), portInUse);

            assertEquals(0, runtime.terminate(10));
            List<String> stackFrames = runtime.logFile().stream().filter(l -> l.startsWith("\tat ")).toList();
            assertTrue(stackFrames.isEmpty(), "no stack trace in the log, found:\n" + String.join("\n", stackFrames));
        }
    }
}
