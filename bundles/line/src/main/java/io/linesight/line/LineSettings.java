package io.linesight.line;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Validated, immutable settings of one line. A bad value is refused with a message naming the property
 * and the line, never replaced by a default.
 */
record LineSettings(String lineId, String cameraTarget, Path modelPackage, DecisionRules rules) {

    static final String PID = "io.linesight.line";

    static LineSettings from(LineConfig config, Path home) {
        List<String> problems = new ArrayList<>();
        String lineId = config.line_id();
        if (lineId == null || !lineId.matches("[A-Za-z0-9_.-]{1,64}")) {
            problems.add("line.id must be 1..64 letters, digits, '.', '_' or '-', was '" + lineId + "'");
        }
        if (config.camera_target() == null || !config.camera_target().startsWith("(")) {
            problems.add("camera.target must be a filter such as (source.id=conveyor), was '" + config.camera_target() + "'");
        }
        if (config.model_package() == null || config.model_package().isBlank()) {
            problems.add("model.package must name the model package folder");
        }
        double reject = config.reject_minConfidence();
        double review = config.review_minConfidence();
        if (!(reject >= 0 && reject <= 1 && review >= 0 && review <= reject)) {
            problems.add("need 0 <= review.minConfidence <= reject.minConfidence <= 1, was review=" + review + ", reject=" + reject);
        }
        if (config.reject_labels() == null || config.reject_labels().length == 0) {
            problems.add("reject.labels must name at least one class");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid configuration " + PID + " for line '" + lineId + "': "
                    + String.join("; ", problems));
        }
        Path modelPackage = home.resolve(config.model_package()).normalize();
        DecisionRules rules = new DecisionRules(Set.of(config.reject_labels()), reject, review);
        return new LineSettings(lineId, config.camera_target(), modelPackage, rules);
    }
}
