package io.linesight.deploy.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.ModelDeployment;
import io.linesight.api.deploy.StoredModel;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model push over HTTP, for a cloud pipeline that delivers packages to the edge:
 * {@code PUT} or {@code POST /api/models} with the package zip as the body and
 * {@code Authorization: Bearer <token>}; optional query {@code activate=<line>} (and {@code reason=})
 * activates it right after. The package goes through {@link ModelDeployment} like every other arrival
 * path: signature, card, gate. {@code GET /api/models} lists the stored packages.
 *
 * <p>Status codes: 201 stored (and 200 when also activated), 400 malformed request, 401 no or unknown
 * token, 404 unknown line, 409 the line cannot take it now, 413 body over the limit, 422 refused
 * (signature, card or gate; the body says why), 503 no deployment service, 500 storage failure.
 */
@Component(service = Servlet.class, configurationPid = PushSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"osgi.http.whiteboard.servlet.pattern=/api/models", "osgi.http.whiteboard.servlet.name=linesight-model-push"})
@Designate(ocd = PushConfig.class)
public class ModelPushServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelPushServlet.class);
    private static final Gson JSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final transient PushSettings settings;
    private transient volatile ModelDeployment deployment;

    @Activate
    public ModelPushServlet(PushConfig config) {
        this.settings = PushSettings.from(config);
        if (settings.tokens().isEmpty()) {
            LOG.info("Model push over HTTP is on but no token is configured ({}: tokens): every push is refused with 401",
                    PushSettings.PID);
        } else {
            LOG.info("Model push over HTTP at /api/models: {} token(s), packages up to {} MB", settings.tokens().size(),
                    settings.maxPackageBytes() / (1024 * 1024));
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDeployment(ModelDeployment service) {
        deployment = service;
    }

    void unbindDeployment(ModelDeployment service) {
        if (deployment == service) {
            deployment = null;
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ModelDeployment service = deployment;
        if (service == null) {
            reply(response, 503, error("the model deployment service is not running; check the runtime's log"));
            return;
        }
        reply(response, 200, service.stored().stream().map(ModelPushServlet::describe).toList());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doPut(request, response);
    }

    /**
     * The body is the package itself, whatever the Content-Type says (curl's --data-binary sends
     * application/x-www-form-urlencoded): parameters are read from the query string only, never from the body,
     * so the container never parses a zip as a form. A multipart upload is refused with 415 and what to send
     * instead; anything unexpected answers 500 with a sentence, never an empty body.
     */
    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            push(request, response);
        } catch (RuntimeException e) {
            LOG.error("Model push from {} failed: {}", request.getRemoteAddr(), e.toString());
            if (!response.isCommitted()) {
                reply(response, 500, error("the push failed inside the runtime (" + e + "); see the runtime's log"));
            }
        }
    }

    private void push(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> caller = settings.tokens().authenticate(request.getHeader("Authorization"));
        if (caller.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"linesight\"");
            reply(response, 401, error("a valid bearer token is required (Authorization: Bearer <token>)"));
            LOG.warn("Model push from {} refused: no valid bearer token", request.getRemoteAddr());
            return;
        }
        ModelDeployment service = deployment;
        if (service == null) {
            reply(response, 503, error("the model deployment service is not running; check the runtime's log"));
            return;
        }
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("multipart/")) {
            reply(response, 415, error("send the package zip as the raw request body, not as a form upload: curl -X PUT"
                    + " --data-binary @package.zip -H 'Content-Type: application/zip' -H 'Authorization: Bearer <token>'"
                    + " 'http://<host>:<port>/api/models?activate=<line>'"));
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > settings.maxPackageBytes()) {
            reply(response, 413, error("package of " + declared + " bytes exceeds the limit of " + settings.maxPackageBytes()));
            return;
        }
        Map<String, String> query = query(request.getQueryString());
        String line = query.get("activate");
        String reason = Optional.ofNullable(query.get("reason")).orElse("pushed over HTTP");
        String actor = "http:" + caller.get();
        Path upload = Files.createTempFile("linesight-push-", ".zip");
        try {
            long size = receive(request.getInputStream(), upload);
            if (size < 0) {
                reply(response, 413, error("package exceeds the limit of " + settings.maxPackageBytes() + " bytes"));
                return;
            }
            if (size == 0) {
                reply(response, 400, error("empty body: send the package zip as the request body"));
                return;
            }
            StoredModel stored = service.deploy(upload, actor);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("stored", describe(stored));
            if (line != null && !line.isBlank()) {
                Activation activation = service.activate(line, stored.name(), stored.version(), actor, reason);
                body.put("activation", describe(activation));
                reply(response, 200, body);
            } else {
                reply(response, 201, body);
            }
        } catch (DeploymentException e) {
            reply(response, status(e.reason()), error(e.getMessage()));
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    /** The query string's parameters (URL-decoded, first value wins), read without touching the body. */
    static Map<String, String> query(String queryString) {
        Map<String, String> out = new LinkedHashMap<>();
        if (queryString == null || queryString.isEmpty()) {
            return out;
        }
        for (String pair : queryString.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    /** Copies the body to {@code target}; returns its size, or -1 as soon as it passes the limit. */
    private long receive(InputStream in, Path target) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > settings.maxPackageBytes()) {
                    return -1;
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    static int status(DeploymentException.Reason reason) {
        return switch (reason) {
            case NOT_FOUND -> 404;
            case NOT_TRUSTED, GATE_FAILED -> 422;
            case INVALID_STATE -> 409;
            case FAILED -> 500;
        };
    }

    static Map<String, Object> describe(StoredModel m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("name", m.name());
        out.put("version", m.version());
        out.put("sha256", m.sha256());
        out.put("signedBy", m.signedBy());
        out.put("storedAt", m.storedAt().toString());
        out.put("gate", m.gate());
        return out;
    }

    /** The activation as JSON-friendly values (Gson cannot reflect into java.time on Java 17). */
    static Map<String, Object> describe(Activation a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sequence", a.sequence());
        out.put("time", a.time().toString());
        out.put("line", a.lineId());
        out.put("model", a.model());
        out.put("sha256", a.sha256());
        out.put("previous", a.previous());
        out.put("action", a.action());
        out.put("actor", a.actor());
        out.put("reason", a.reason());
        out.put("gate", a.gate());
        return out;
    }

    private static JsonObject error(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return o;
    }

    private static void reply(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        byte[] bytes = (body instanceof List<?> || body instanceof Map<?, ?> || body instanceof JsonObject
                ? JSON.toJson(body) : JSON.toJson(body)).getBytes(StandardCharsets.UTF_8);
        response.getOutputStream().write(bytes);
    }
}
