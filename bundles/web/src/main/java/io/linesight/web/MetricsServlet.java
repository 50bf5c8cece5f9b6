package io.linesight.web;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /metrics}: Prometheus text exposition (see README, Web: metrics). Follows the read access. */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/metrics",
        "osgi.http.whiteboard.servlet.name=linesight-web-metrics"})
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient LiveView view;

    @Activate
    public MetricsServlet(@Reference LiveView view) {
        this.view = view;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            view.access().requireRead(request.getRemoteAddr(), request.getHeader("Authorization"));
        } catch (ApiException e) {
            Http.send(response, Reply.error(e));
            return;
        }
        Http.send(response, new Reply(200, PrometheusText.CONTENT_TYPE,
                view.metricsText().getBytes(StandardCharsets.UTF_8), Map.of()));
    }
}
