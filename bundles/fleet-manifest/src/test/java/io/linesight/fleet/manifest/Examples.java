package io.linesight.fleet.manifest;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** The example manifest of MANIFEST-FORMAT.md, and variations of it. */
final class Examples {

    static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    static final String SHADOW = """
            {
              "schema": "linesight.deployment/1",
              "deploymentId": "dm-2026-12-08-defect-0.3.0",
              "issuedAt": "2026-12-08T10:00:00Z",
              "model": {"name": "defect-mobilenetv2", "version": "0.3.0",
                        "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 12345678},
              "urls": ["https://cdn.example/defect-mobilenetv2-0.3.0.zip",
                       "http://10.0.0.5/pkgs/defect-mobilenetv2-0.3.0.zip"],
              "target": {"group": "plant", "nodes": ["box1", "box2"], "lines": ["default"]},
              "trial": {"mode": "shadow", "minFrames": 500, "minVerdictAgreement": 0.98, "maxLatencyRatio": 1.5,
                        "maxMinutes": 60},
              "health": {"windowFrames": 500, "windowMinutes": 10, "rollback": true},
              "deadlines": {"downloadMinutes": 120, "verifyMinutes": 10, "gateMinutes": 15},
              "previousDeploymentId": "dm-2026-11-30-defect-0.2.0"
            }
            """;

    private Examples() {
    }

    static byte[] shadowBytes() {
        return SHADOW.getBytes(StandardCharsets.UTF_8);
    }

    /** The example with {@code change} applied to its JSON tree. */
    static byte[] changed(Consumer<JsonObject> change) {
        JsonObject tree = JsonParser.parseString(SHADOW).getAsJsonObject();
        change.accept(tree);
        return tree.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The object at a dotted path ("" for the top). */
    static JsonObject at(JsonObject tree, String path) {
        JsonObject object = tree;
        if (!path.isEmpty()) {
            for (String part : path.split("\\.")) {
                object = object.getAsJsonObject(part);
            }
        }
        return object;
    }
}
