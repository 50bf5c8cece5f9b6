package io.linesight.line;

import io.linesight.api.inspection.Verdict;
import java.util.Arrays;

import java.nio.file.Path;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Validated, immutable settings of one line. A bad value is refused with a message naming the property
 * and the line, never replaced by a default.
 */
record LineSettings(String lineId, String cameraTarget, Filter cameraFilter, long noFrameFaultMs, Path modelPackage,
                    DecisionRules rules, Path reviewFolder, int reviewMaxFrames, ShadowRule shadowRule) {

    static final String PID = "io.linesight.line";

    /**
     * @param home folder relative paths resolve against
     * @param data the runtime's data folder (default review folder)
     */
    static LineSettings from(LineConfig config, Path home, Path data) {
        List<String> problems = new ArrayList<>();
        String lineId = config.line_id();
        if (lineId == null || !lineId.matches("[A-Za-z0-9_.-]{1,64}")) {
            problems.add("line.id must be 1..64 letters, digits, '.', '_' or '-', was '" + lineId + "'");
        }
        Filter cameraFilter = cameraFilter(config.camera_target(), problems);
        if (config.noFrameFaultMs() < 100 || config.noFrameFaultMs() > 600_000) {
            problems.add("noFrameFaultMs must be within 100..600000, was " + config.noFrameFaultMs());
        }
        if (config.model_package() == null || config.model_package().isBlank()) {
            problems.add("model.package must name the model package folder");
        }
        double reject = config.reject_minConfidence();
        double review = config.review_minConfidence();
        if (!(reject >= 0 && reject <= 1 && review >= 0 && review <= reject)) {
            problems.add("need 0 <= review.minConfidence <= reject.minConfidence <= 1, was review=" + review + ", reject=" + reject);
        }
        List<CountRule> countRules = new ArrayList<>();
        for (String rule : config.count_rules() == null ? new String[0] : config.count_rules()) {
            try {
                countRules.add(CountRule.parse(rule));
            } catch (IllegalArgumentException e) {
                problems.add("count.rules: " + e.getMessage());
            }
        }
        boolean noRejectLabels = config.reject_labels() == null || config.reject_labels().length == 0
                || Arrays.stream(config.reject_labels()).allMatch(String::isBlank);
        if (noRejectLabels && countRules.isEmpty()) {
            problems.add("reject.labels must name at least one class (or give count.rules for a detector)");
        }
        Verdict countVerdict = null;
        try {
            countVerdict = Verdict.valueOf(String.valueOf(config.count_verdict()).trim());
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (countVerdict == null || countVerdict == Verdict.PASS) {
            problems.add("count.verdict must be REJECT or REVIEW, was '" + config.count_verdict() + "'");
        }
        if (config.review_maxFrames() < 0 || config.review_maxFrames() > 1_000_000) {
            problems.add("review.maxFrames must be within 0..1000000, was " + config.review_maxFrames());
        }
        checkShadowRule(config, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid configuration " + PID + " for line '" + lineId + "': "
                    + String.join("; ", problems));
        }
        Path modelPackage = home.resolve(config.model_package()).normalize();
        Set<String> rejectLabels = noRejectLabels ? Set.of()
                : Set.copyOf(Arrays.stream(config.reject_labels()).filter(l -> !l.isBlank()).toList());
        DecisionRules rules = new DecisionRules(rejectLabels, reject, review, List.copyOf(countRules), countVerdict);
        String reviewFolder = config.review_folder() == null ? "" : config.review_folder().trim();
        Path reviewPath = reviewFolder.isEmpty() ? data.resolve("review").resolve(lineId) : home.resolve(reviewFolder).normalize();
        return new LineSettings(lineId, config.camera_target(), cameraFilter, config.noFrameFaultMs(), modelPackage, rules,
                reviewPath, config.review_maxFrames(), new ShadowRule(config.shadow_minFrames(),
                config.shadow_minVerdictAgreement(), config.shadow_maxLatencyRatio(), config.shadow_autoPromote()));
    }

    private static void checkShadowRule(LineConfig config, List<String> problems) {
        if (config.shadow_minFrames() < 1 || config.shadow_minFrames() > 10_000_000) {
            problems.add("shadow.minFrames must be within 1..10000000, was " + config.shadow_minFrames());
        }
        double agreement = config.shadow_minVerdictAgreement();
        if (!(agreement >= 0 && agreement <= 1)) {
            problems.add("shadow.minVerdictAgreement must be within 0..1, was " + agreement);
        }
        double ratio = config.shadow_maxLatencyRatio();
        if (!(ratio >= 0.1 && ratio <= 100)) {
            problems.add("shadow.maxLatencyRatio must be within 0.1..100, was " + ratio);
        }
    }

    /** The camera filter, or null with a problem saying what is wrong with it and how it should look. */
    private static Filter cameraFilter(String target, List<String> problems) {
        String example = "write it as (source.id=<camera id>), e.g. (source.id=conveyor)";
        if (target == null || target.isBlank()) {
            problems.add("camera.target is missing: " + example);
            return null;
        }
        try {
            return FrameworkUtil.createFilter(target.trim());
        } catch (InvalidSyntaxException e) {
            problems.add("camera.target '" + target + "' is not a valid filter (" + e.getMessage() + "): " + example);
            return null;
        }
    }
}
