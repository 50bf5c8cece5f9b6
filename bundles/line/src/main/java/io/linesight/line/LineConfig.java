package io.linesight.line;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One inspection line (factory PID {@code io.linesight.line}, one file per line in {@code config/}). */
@ObjectClassDefinition(name = "LineSight inspection line",
        description = "A camera, a model and the rules that turn the model's answer into PASS, REJECT or REVIEW.")
public @interface LineConfig {

    @AttributeDefinition(name = "Line id", description = "Unique name of the line, shown on the console, in OPC UA and in PLC logs")
    String line_id() default "default";

    @AttributeDefinition(name = "Camera", description = "Filter selecting the camera service, e.g. (source.id=conveyor)")
    String camera_target();

    @AttributeDefinition(name = "No-frame fault (ms)",
            description = "A line without a frame for this long (or whose camera setting matches no camera for this"
                    + " long after it starts) is in FAULT with an alarm: parts would pass uninspected (100..600000)")
    long noFrameFaultMs() default 2000;

    @AttributeDefinition(name = "Model runtime", description = "Filter selecting the inference engine, e.g. (model.runtime=onnx)")
    String modelRuntime_target() default "(model.runtime=onnx)";

    @AttributeDefinition(name = "Model package",
            description = "Folder of the model package (model.json + model file); relative paths resolve against the runtime's home folder")
    String model_package();

    @AttributeDefinition(name = "Reject labels", description = "Classes that mean the part is bad, e.g. defect")
    String[] reject_labels() default {"defect"};

    @AttributeDefinition(name = "Reject confidence",
            description = "A reject class at or above this probability rejects the part (0..1)")
    double reject_minConfidence() default 0.65;

    @AttributeDefinition(name = "Review confidence",
            description = "A reject class at or above this probability, but below the reject confidence, sends the frame to REVIEW (0..1, at most the reject confidence)")
    double review_minConfidence() default 0.35;

    @AttributeDefinition(name = "Count rules (detectors)",
            description = "Rules on objects per frame, each <label>>=N, <label><=N or <label>==N, e.g. product>=20; a frame that breaks one gets the count verdict")
    String[] count_rules() default {};

    @AttributeDefinition(name = "Count verdict", description = "Verdict of a frame that breaks a count rule: REJECT or REVIEW")
    String count_verdict() default "REJECT";

    @AttributeDefinition(name = "Review folder",
            description = "Where REVIEW frames are saved (PNG + JSON); empty = <data folder>/review/<line id>; relative paths resolve against the runtime's home folder")
    String review_folder() default "";

    @AttributeDefinition(name = "Review frames kept", description = "At most this many REVIEW frames are kept; the oldest are deleted (0 = do not save)")
    int review_maxFrames() default 500;
    @AttributeDefinition(name = "Shadow: minimum frames",
            description = "A shadow trial's candidate is ready to promote after at least this many frames judged by both models (1..10000000)")
    long shadow_minFrames() default 500;

    @AttributeDefinition(name = "Shadow: minimum verdict agreement",
            description = "... and when at least this share of those frames got the same verdict from both models (0..1)")
    double shadow_minVerdictAgreement() default 0.98;

    @AttributeDefinition(name = "Shadow: maximum latency ratio",
            description = "... and when the candidate's p95 inference time is at most this many times the active model's (0.1..100)")
    double shadow_maxLatencyRatio() default 1.5;

    @AttributeDefinition(name = "Shadow: promote automatically",
            description = "true: the model deployment promotes the candidate as soon as the rule holds; false: the trial reports READY_TO_PROMOTE and model:promote does it")
    boolean shadow_autoPromote() default false;
}
