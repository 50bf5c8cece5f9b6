package io.linesight.web;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The pages, served from this bundle (no build step, no CDN): {@code /} the dashboard, {@code /upload}
 * the upload check, {@code /ui/*} their scripts and styles. Registered as the default servlet, so every
 * other unknown path gets a plain 404. Follows the read access.
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/",
        "osgi.http.whiteboard.servlet.pattern=/ui/*", "osgi.http.whiteboard.servlet.pattern=/upload",
        "osgi.http.whiteboard.servlet.name=linesight-web-pages"})
public class PageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "ico", "image/x-icon");

    private final transient LiveView view;

    @Activate
    public PageServlet(@Reference LiveView view) {
        this.view = view;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            view.access().requireRead(request.getRemoteAddr(), request.getHeader("Authorization"));
            Http.send(response, page(request.getServletPath() + Http.subPath(request)));
        } catch (ApiException e) {
            Http.send(response, Reply.error(e));
        }
    }

    /** The resource for a request path, or 404. */
    static Reply page(String path) throws ApiException {
        String file = switch (path) {
            case "", "/", "/index.html" -> "index.html";
            case "/upload" -> "upload.html";
            default -> path.startsWith("/ui/") && path.substring(4).matches("[a-z0-9-]+\\.(html|js|css|svg|png|ico)")
                    ? path.substring(4) : null;
        };
        if (file == null) {
            throw new ApiException(404, "no such page: " + path);
        }
        try (InputStream in = PageServlet.class.getResourceAsStream("/static/" + file)) {
            if (in == null) {
                throw new ApiException(404, "no such page: " + path);
            }
            String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
            return new Reply(200, type, in.readAllBytes(), Map.of("Cache-Control", "no-cache",
                    "X-Content-Type-Options", "nosniff", "Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:"));
        } catch (IOException e) {
            throw new ApiException(500, "page " + file + " cannot be read: " + e.getMessage());
        }
    }
}
