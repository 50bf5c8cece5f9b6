package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, item 4, on the real runtime: the default line's model watched for drift. The simulated conveyor starts
 * with 10 % defective parts (the reference), then the product mix changes to 60 % defective (as if a supplier's batch
 * went bad or the camera moved): the drift watch raises MODEL_DRIFT with its figures, /api/drift and /metrics show
 * it; back to 10 % it clears.
 */
class ModelDriftEndToEndTest {

    private static final String CAMERA = "io.linesight.camera.sim-conveyor.cfg";

    @Test
    void aChangedProductMixIsDriftEverywhereAndClearsWhenItReturns() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess("drift")) {
            int opcPort = RuntimeProcess.freePort();
            runtime.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(opcPort));
            runtime.set("io.linesight.console.telnet.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            int plc = RuntimeProcess.freePort();
            runtime.set("io.linesight.plc.simulator.cfg", "port", String.valueOf(plc));
            runtime.set("io.linesight.plc.modbus-default.cfg", "port", String.valueOf(plc));
            runtime.set("io.linesight.model.watch.cfg", "referenceFrames", "200");
            runtime.set("io.linesight.model.watch.cfg", "windowFrames", "200");
            runtime.set(CAMERA, "partsPerSecond", "25");
            runtime.start();

            runtime.await(() -> state(runtime).equals("STABLE"), 90, "the drift watch to learn and find the line stable");
            JsonObject stable = drift(runtime).orElseThrow();
            assertEquals("defect-mobilenetv2:0.2.0", stable.get("model").getAsString(), stable.toString());
            assertTrue(stable.get("verdictPsi").getAsDouble() < 0.25, stable.toString());

            runtime.set(CAMERA, "defectRate", "0.6");
            runtime.await(() -> state(runtime).equals("DRIFTING") && alarm(runtime, true), 60, "MODEL_DRIFT");
            JsonObject drifting = drift(runtime).orElseThrow();
            assertTrue(drifting.get("verdictPsi").getAsDouble() >= 0.25, drifting.toString());
            assertTrue(drifting.get("windowRejectRate").getAsDouble() > drifting.get("referenceRejectRate").getAsDouble() + 0.2,
                    drifting.toString());
            assertTrue(Rest.get(runtime, "/metrics").contains("linesight_model_drifting{line=\"default\"} 1"),
                    "drifting on /metrics");
            assertEquals("DRIFTING", opcUaDriftState(opcPort), "Lines/default/Drift/State on OPC UA");

            runtime.set(CAMERA, "defectRate", "0.1");
            runtime.await(() -> state(runtime).equals("STABLE") && alarm(runtime, false), 60, "the drift to clear");
            System.out.println("model drift end to end: stable " + stable + "; drifting " + drifting);
            assertEquals(0, runtime.terminate(15));
        }
    }

    /** Lines/default/Drift/State read by a Milo client (anonymous, demo profile on loopback), within 5 s. */
    private static String opcUaDriftState(int port) throws Exception {
        org.eclipse.milo.opcua.sdk.client.OpcUaClient client = org.eclipse.milo.opcua.sdk.client.OpcUaClient.create(
                "opc.tcp://127.0.0.1:" + port,
                endpoints -> endpoints.stream().filter(e -> org.eclipse.milo.opcua.stack.core.security.SecurityPolicy.None
                        .getUri().equals(e.getSecurityPolicyUri())).findFirst(),
                b -> b.setApplicationName(org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText.english("LineSight IT drift"))
                        .setApplicationUri("urn:linesight:it:drift").build());
        client.connect().get(30, java.util.concurrent.TimeUnit.SECONDS);
        try {
            String[] namespaces = (String[]) client.readValue(0,
                    org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn.Neither,
                    org.eclipse.milo.opcua.stack.core.Identifiers.Server_NamespaceArray).get().getValue().getValue();
            int ns = List.of(namespaces).indexOf("urn:linesight");
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            String state = "";
            while (!"DRIFTING".equals(state) && System.nanoTime() < deadline) {
                Object value = client.readValue(0, org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn.Neither,
                        new org.eclipse.milo.opcua.stack.core.types.builtin.NodeId(ns, "Lines/default/Drift/State"))
                        .get(5, java.util.concurrent.TimeUnit.SECONDS).getValue().getValue();
                state = value == null ? "" : value.toString();
                Thread.sleep(200);
            }
            return state;
        } finally {
            client.disconnect().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private String state(RuntimeProcess r) {
        return drift(r).map(d -> d.get("state").getAsString()).orElse("");
    }

    private Optional<JsonObject> drift(RuntimeProcess r) {
        return Rest.array(r, "/api/drift").stream().filter(d -> d.get("line").getAsString().equals("default")).findFirst();
    }

    /** MODEL_DRIFT of the default line listed and active (true), or not active (false). */
    private boolean alarm(RuntimeProcess r, boolean active) {
        boolean activeNow = Rest.array(r, "/api/alarms").stream().anyMatch(a -> a.get("kind").getAsString().equals("MODEL_DRIFT")
                && a.get("source").getAsString().equals("line/default") && a.get("active").getAsBoolean());
        return activeNow == active;
    }
}
