package io.linesight.model.deploy;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the model deployment (PID {@value DeploySettings#PID}). Empty folder settings take the
 * defaults derived from the launcher's system properties, described per attribute.
 */
@ObjectClassDefinition(name = "LineSight model deployment",
        description = "Model repository, trusted signing keys, drop folder and downloads of model packages.")
public @interface DeployConfig {

    @AttributeDefinition(name = "Repository folder",
            description = "Where verified packages are stored as <name>/<version>/; empty: ${linesight.data}/models,"
                    + " or ${java.io.tmpdir}/linesight/models without linesight.data")
    String repositoryDirectory() default "";

    @AttributeDefinition(name = "Trusted keys folder",
            description = "Folder of trusted Ed25519 public keys <key-name>.pub (PEM); empty:"
                    + " ${linesight.config}/trusted-keys, or <linesight.home>/config/trusted-keys")
    String trustedKeysDirectory() default "";

    @AttributeDefinition(name = "Accept unsigned packages",
            description = "Demo only: store packages without a signature (logged as a WARN every time)."
                    + " Wrongly signed packages are refused even then.")
    boolean acceptUnsigned() default false;

    @AttributeDefinition(name = "Largest package, MB",
            description = "Zips larger than this, or unpacking to more than this, are refused (1..4096)")
    int maxPackageMegabytes() default 200;

    @AttributeDefinition(name = "Drop folder enabled", description = "Watch the drop folder for *.zip packages")
    boolean dropEnabled() default true;

    @AttributeDefinition(name = "Drop folder",
            description = "Folder watched for *.zip packages; empty: ${linesight.deploy}/models, or"
                    + " <linesight.home>/deploy/models")
    String dropDirectory() default "";

    @AttributeDefinition(name = "Drop folder poll interval, ms",
            description = "A file is taken once its size and time were unchanged for two polls (50..60000)")
    long dropPollMs() default 1000;

    @AttributeDefinition(name = "Download timeout, s",
            description = "model:deploy <url>: the whole download must finish within this (1..3600)")
    int downloadTimeoutSeconds() default 120;

    @AttributeDefinition(name = "Versions kept per model",
            description = "Retention: of each model name, the newest N versions (by arrival; refused ones not counted)"
                    + " are kept; older STORED or RETIRED versions are deleted by the sweep every 10 minutes. Active,"
                    + " shadow and rollback-target versions are always kept. 0 keeps every version (0..1000)")
    int keepVersionsPerModel() default 5;

    @AttributeDefinition(name = "Refused packages kept, hours",
            description = "Retention: REFUSED versions in the repository and the drop folder's refused/ files are"
                    + " deleted this long after they were refused. 0 keeps them (0..87600)")
    int refusedRetentionHours() default 24;

    @AttributeDefinition(name = "Model runtime filter",
            description = "Which ModelRuntime service loads packages for the gate")
    String modelRuntime_target() default "(model.runtime=onnx)";
}
