package io.linesight.web;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/*}: the one HTTP API of the runtime: the REST API and model push ({@link ApiRoutes}) and the dashboard's
 * live stream {@code /api/stream} (server-sent events). One token list, one read access, one error body and one
 * JSON codec for all of it. Anything unexpected answers 500 with a sentence ({@link ApiRoutes#handle}), never an
 * empty body or a stack trace.
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/api/*",
        "osgi.http.whiteboard.servlet.name=linesight-web-api"})
public class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final long KEEP_ALIVE_MS = 15_000;
    /** At most this much of a refused request's body is read and discarded before the answer (see drained). */
    private static final long DRAIN_LIMIT = 32L * 1024 * 1024;

    private final transient LiveView view;
    private final transient ApiRoutes routes;

    @Activate
    public ApiServlet(@Reference LiveView view) {
        this.view = view;
        this.routes = new ApiRoutes(view);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = Http.subPath(request);
        if ("/stream".equals(path) && "GET".equals(request.getMethod())) {
            stream(request, response);
            return;
        }
        Reply reply = routes.handle(Http.request(request, path));
        if (reply.status() >= 400 && hasBody(request) && !drained(request)) {
            // refused before its body was read (a 401 to a push, say) and too much of it is left to read: the rest
            // is still on the wire, so the connection cannot carry another request; say so
            response.setHeader("Connection", "close");
        }
        Http.send(response, reply);
    }

    /**
     * Reads and discards what is left of a refused request's body, up to {@value #DRAIN_LIMIT} bytes. A client that
     * is still sending a zip when the answer comes and the connection closes gets a reset, which throws away the
     * answer it had not read yet ("header parser received no bytes" in Java's HttpClient); once its whole body is
     * read, it reads the answer, and the connection can even be reused.
     *
     * @return true when the body was read to its end
     */
    private static boolean drained(HttpServletRequest request) {
        long left = DRAIN_LIMIT;
        byte[] buffer = new byte[64 * 1024];
        try (var in = request.getInputStream()) {
            for (int n; (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
                left -= n;
                if (left == 0) {
                    return in.read() < 0;
                }
            }
            return true;
        } catch (IOException | IllegalStateException e) {
            return false; // the body was taken as a reader or parameters, or the client went away
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** Writes the client's queue as server-sent events until it disconnects, falls behind or the bundle stops. */
    private void stream(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StreamHub.Client client;
        try {
            view.access().requireRead(request.getRemoteAddr(), request.getHeader("Authorization"));
            client = view.hub().open(StreamHub.format("snapshot", 0, Json.GSON.toJson(view.snapshot())));
        } catch (ApiException e) {
            Http.send(response, Reply.error(e));
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        LOG.debug("Web: stream client {} connected", request.getRemoteAddr());
        try {
            pump(client, response.getOutputStream());
        } catch (IOException e) {
            client.drop("disconnected");
        } catch (InterruptedException e) {
            client.drop("interrupted");
            Thread.currentThread().interrupt();
        }
        LOG.debug("Web: stream client {} ended: {}", request.getRemoteAddr(), client.droppedBecause());
    }

    private static void pump(StreamHub.Client client, OutputStream out) throws IOException, InterruptedException {
        out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        for (String next = client.next(KEEP_ALIVE_MS); next != null; next = client.next(KEEP_ALIVE_MS)) {
            out.write((next.isEmpty() ? ": keep-alive\n\n" : next).getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
