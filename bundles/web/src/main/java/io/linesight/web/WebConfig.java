package io.linesight.web;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The web dashboard, REST API and metrics (PID {@code io.linesight.web}). Port and bind address are the
 * HTTP service's ({@code config/org.apache.felix.http.cfg}); without a file this component runs on the
 * defaults below (read-only views from loopback, every state change refused until a token is configured).
 */
@ObjectClassDefinition(name = "LineSight web",
        description = "Dashboard, upload check, REST API and model push (/api), Prometheus metrics (/metrics) and health (/health)")
public @interface WebConfig {

    /** Who may use the read-only views (pages, GET /api, /metrics, the stream, the upload check). */
    enum ReadAccess {
        /** Clients on a loopback address without a credential, others with a token. */
        LOOPBACK,
        /** Everybody who can reach the port (behind a plant firewall or a proxy that authenticates). */
        ANYWHERE,
        /** Only with a token. */
        TOKEN
    }

    @AttributeDefinition(name = "Tokens",
            description = "Bearer tokens allowed to change state (reset, activate, rollback, acknowledge, model push),"
                    + " as <name>:<SHA-256 hex of the token>")
    String[] tokens() default {};

    @AttributeDefinition(name = "Read access", description = "LOOPBACK, ANYWHERE or TOKEN (see README)")
    ReadAccess readAccess() default ReadAccess.LOOPBACK;

    @AttributeDefinition(name = "Largest upload (MB)", description = "Images over this size are refused with 413 (1..64)")
    int maxUploadMegabytes() default 8;

    @AttributeDefinition(name = "Largest model package (MB)",
            description = "Model pushes (PUT/POST /api/models) over this size are refused with 413 (1..2048)")
    int maxPackageMegabytes() default 200;

    @AttributeDefinition(name = "Upload packages",
            description = "Model package folders offered on the upload page besides the lines' active packages; relative to the runtime's home")
    String[] uploadPackages() default {"models/defect-mobilenetv2"};

    @AttributeDefinition(name = "Stream clients", description = "Most dashboards connected to /api/stream at once (1..64)")
    int maxStreamClients() default 8;

    @AttributeDefinition(name = "Stream queue (updates)",
            description = "Updates queued per stream client; a client that falls this far behind is dropped (2..1024)")
    int streamQueueUpdates() default 16;

    @AttributeDefinition(name = "Stream interval (ms)", description = "How often the dashboard is updated (100..10000)")
    int streamIntervalMs() default 500;

    @AttributeDefinition(name = "Frame interval (ms)",
            description = "Least time between two encodings of a line's last frame (100..10000): 500 = at most 2 per second")
    int frameIntervalMs() default 500;

    @AttributeDefinition(name = "Recent verdicts", description = "Verdicts kept per line for the dashboard (1..200)")
    int recentVerdicts() default 20;

    @AttributeDefinition(name = "Latency buckets (ms)",
            description = "Upper bounds of the latency histogram buckets, increasing, in milliseconds")
    double[] latencyBucketsMs() default {5, 10, 25, 50, 100, 250, 500, 1000, 2500};
}
