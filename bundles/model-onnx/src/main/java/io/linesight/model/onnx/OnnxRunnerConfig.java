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
}
