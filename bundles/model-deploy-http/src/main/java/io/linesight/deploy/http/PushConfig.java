package io.linesight.deploy.http;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Model push over HTTP (PID {@code io.linesight.model.deploy.http}); without a configuration it is off. */
@ObjectClassDefinition(name = "LineSight model push (HTTP)",
        description = "PUT/POST /api/models on the HTTP service, for pipelines that deliver model packages")
public @interface PushConfig {

    @AttributeDefinition(name = "Tokens",
            description = "Allowed bearer tokens as <name>:<SHA-256 hex of the token>; only digests are stored here")
    String[] tokens() default {};

    @AttributeDefinition(name = "Largest package (MB)", description = "Bodies over this size are refused with 413 (1..2048)")
    int maxPackageMegabytes() default 200;
}
