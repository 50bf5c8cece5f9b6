package io.linesight.api.model;

import java.util.List;
import java.util.Objects;

/**
 * Identity of a loaded model, as recorded with every inspection and shown to SCADA.
 *
 * @param name    package name, for example {@code defect-mobilenetv2}
 * @param version package version, for example {@code 1.0.0}
 * @param sha256  hex digest of the model file that was loaded
 * @param task    classify or detect
 * @param labels  class names in output order
 */
public record ModelInfo(String name, String version, String sha256, Task task, List<String> labels) {

    public ModelInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(task, "task");
        labels = List.copyOf(labels);
    }

    /** {@code name:version}, the short form used in logs and on the console. */
    public String displayName() {
        return name + ":" + version;
    }
}
