package io.linesight.web;

import com.google.gson.JsonObject;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /health/live}: 200 while this bundle runs (open to everybody: it tells nothing).
 * {@code /health/ready} and {@code /health}: 200 when every line is RUNNING, else 503 with the reasons;
 * these follow the read access.
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/health",
        "osgi.http.whiteboard.servlet.pattern=/health/*", "osgi.http.whiteboard.servlet.name=linesight-web-health"})
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient LiveView view;

    @Activate
    public HealthServlet(@Reference LiveView view) {
        this.view = view;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Http.send(response, health(view, Http.subPath(request), request.getRemoteAddr(), request.getHeader("Authorization")));
    }

    static Reply health(LiveView view, String path, String remote, String authorization) {
        if ("/live".equals(path)) {
            JsonObject o = new JsonObject();
            o.addProperty("status", "UP");
            return Reply.json(200, o);
        }
        if (!path.isEmpty() && !"/ready".equals(path)) {
            return Reply.error(new ApiException(404, "health checks: /health/live, /health/ready"));
        }
        try {
            view.access().requireRead(remote, authorization);
        } catch (ApiException e) {
            return Reply.error(e);
        }
        List<String> reasons = view.notReady();
        JsonObject o = new JsonObject();
        o.addProperty("status", reasons.isEmpty() ? "READY" : "NOT_READY");
        o.add("reasons", Json.GSON.toJsonTree(reasons));
        return Reply.json(reasons.isEmpty() ? 200 : 503, o);
    }
}
