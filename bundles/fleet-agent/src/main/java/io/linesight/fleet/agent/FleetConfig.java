package io.linesight.fleet.agent;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the fleet agent (PID {@value #PID}); without a configuration the box takes no fleet deployments. */
@ObjectClassDefinition(name = "LineSight fleet agent",
        description = "Takes signed deployment manifests (from the Sparkplug node's retained desired-state topics or"
                + " a polled URL), downloads the package and applies it to the targeted lines through the model"
                + " lifecycle.")
public @interface FleetConfig {

    /** Configuration PID. */
    String PID = "io.linesight.fleet";

    @AttributeDefinition(name = "Group id",
            description = "The Sparkplug group of this box, as manifests target it (the Sparkplug node's groupId)")
    String groupId() default "plant";

    @AttributeDefinition(name = "Edge node id",
            description = "The Sparkplug edge node id of this box (the Sparkplug node's edgeNodeId); empty: this"
                    + " machine's host name, as the Sparkplug node does")
    String edgeNodeId() default "";

    @AttributeDefinition(name = "Trusted keys folder",
            description = "Folder of the Ed25519 public keys <key-name>.pub a manifest must be signed with; empty:"
                    + " the model deployment's default, ${linesight.config}/trusted-keys, or"
                    + " <linesight.home>/config/trusted-keys")
    String trustedKeysDirectory() default "";

    @AttributeDefinition(name = "Download folder",
            description = "Where packages are downloaded (a broken download resumes from its .part there); empty:"
                    + " ${linesight.data}/fleet/downloads")
    String downloadFolder() default "";

    @AttributeDefinition(name = "Largest package, MB",
            description = "A manifest naming a larger package is refused before any request (1..4096)")
    int maxPackageMegabytes() default 200;

    @AttributeDefinition(name = "Free space kept, MB",
            description = "A download starts only if this much stays free in the download folder's disk afterwards"
                    + " (0..65536)")
    int freeSpaceMarginMegabytes() default 256;

    @AttributeDefinition(name = "Download rate limit, bytes per second",
            description = "So a download does not saturate the plant link; 0: unlimited")
    long bytesPerSecond() default 0;

    @AttributeDefinition(name = "Poll URL",
            description = "Optional: an http(s) URL of a signed envelope (linesight.signed/1) fetched every"
                    + " pollSeconds with If-None-Match; empty: desired states come from the Sparkplug node only")
    String pollUrl() default "";

    @AttributeDefinition(name = "Poll interval, s", description = "How often pollUrl is fetched (10..86400)")
    int pollSeconds() default 300;
}
