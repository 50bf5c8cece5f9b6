package io.linesight.model.onnx;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Session settings of the ONNX Runtime runner (PID {@code io.linesight.model.onnx}). */
@ObjectClassDefinition(name = "LineSight ONNX Runtime runner",
        description = "How ONNX Runtime sessions are created for the models lines load.")
public @interface OnnxRunnerConfig {

    @AttributeDefinition(name = "Intra-op threads",
            description = "Threads one inference may use (1..64); 0 lets ONNX Runtime choose (one per core)")
    int intraOpThreads() default 1;

    @AttributeDefinition(name = "Graph optimisation level",
            description = "NO_OPT, BASIC_OPT, EXTENDED_OPT or ALL_OPT")
    String optimizationLevel() default "ALL_OPT";

    @AttributeDefinition(name = "Execution mode", description = "SEQUENTIAL or PARALLEL")
    String executionMode() default "SEQUENTIAL";

    @AttributeDefinition(name = "Intra-op spinning",
            description = "Let ONNX Runtime's threads busy-wait between parallel sections (true: ONNX Runtime's"
                    + " default, 20-30 % faster inference on the 2-core target) or sleep (false: less CPU for"
                    + " each frame, slower inference)")
    boolean intraOpSpinning() default true;

    @AttributeDefinition(name = "Stop spinning after each run",
            description = "ONNX Runtime's threads stop busy-waiting as soon as a run returns (they still spin"
                    + " inside a run), so the cores are free for preprocessing between frames")
    boolean stopSpinningAfterRun() default false;

    @AttributeDefinition(name = "Preprocessing threads",
            description = "Threads that share out the rows of one frame's resize/normalise (1..8), the inference"
                    + " thread included; 1 keeps it on the inference thread. More only helps with cores that"
                    + " ONNX Runtime does not use (intraOpThreads below the core count)")
    int preprocessThreads() default 1;
}
