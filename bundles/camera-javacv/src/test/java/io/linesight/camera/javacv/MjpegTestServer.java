package io.linesight.camera.javacv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An IP camera's HTTP MJPEG stream (multipart/x-mixed-replace) on 127.0.0.1 that misbehaves on request:
 * the first {@code stallingConnections} connections stop sending after {@code framesBeforeStall}
 * pictures but keep the connection open (a frozen camera); other paths get 404; with a password set it
 * challenges with HTTP Basic authentication and records what the client sent.
 */
final class MjpegTestServer implements AutoCloseable {

    private static final String BOUNDARY = "frame";

    private final byte[] jpeg;
    private final String path;
    private final int framesBeforeStall;
    private final int stallingConnections;
    private final String expectedCredentials;
    private final ServerSocket server;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final List<String> receivedCredentials = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    MjpegTestServer(byte[] jpeg, String path, int framesBeforeStall, int stallingConnections, String expectedCredentials)
            throws IOException {
        this.jpeg = jpeg;
        this.path = path;
        this.framesBeforeStall = framesBeforeStall;
        this.stallingConnections = stallingConnections;
        this.expectedCredentials = expectedCredentials;
        this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "mjpeg-test-server");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** A server that never stalls. */
    static MjpegTestServer steady(byte[] jpeg) throws IOException {
        return new MjpegTestServer(jpeg, "/cam", -1, 0, null);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections that asked for the stream path (404s and refused logins not counted). */
    int connections() {
        return connections.get();
    }

    /** "user:password" of every Basic Authorization header received. */
    List<String> receivedCredentials() {
        return new ArrayList<>(receivedCredentials);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                clients.add(client);
                Thread handler = new Thread(() -> serve(client), "mjpeg-test-client");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
            String request = in.readLine();
            String authorization = null;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.toLowerCase().startsWith("authorization: basic ")) {
                    authorization = new String(Base64.getDecoder().decode(line.substring(21).trim()), StandardCharsets.UTF_8);
                    receivedCredentials.add(authorization);
                }
            }
            OutputStream out = client.getOutputStream();
            if (request == null || !request.startsWith("GET " + path + " ")) {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (expectedCredentials != null && !expectedCredentials.equals(authorization)) {
                out.write(("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"camera\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                return;
            }
            int number = connections.incrementAndGet();
            stream(out, number <= stallingConnections ? framesBeforeStall : -1);
        } catch (IOException | InterruptedException e) {
            // client went away or server closed
        } finally {
            clients.remove(client);
        }
    }

    private void stream(OutputStream out, int framesBeforeStall) throws IOException, InterruptedException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=" + BOUNDARY
                + "\r\nCache-Control: no-cache\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int sent = 0; !closed; sent++) {
            if (sent == framesBeforeStall) {
                // frozen camera: the connection stays open, nothing more comes
                while (!closed) {
                    Thread.sleep(50);
                }
                return;
            }
            out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(jpeg);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(40); // 25 fps
        }
    }

    /** Stops accepting and drops every connection (the client sees the end of its stream). */
    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket client : clients) {
            client.close();
        }
    }
}
