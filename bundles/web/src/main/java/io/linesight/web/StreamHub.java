package io.linesight.web;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dashboards connected to {@code /api/stream} (server-sent events). Each client has a bounded queue
 * that {@link #broadcast} only offers to: a client whose queue is full is too slow and is dropped (its
 * page reconnects and gets a fresh snapshot), so one slow browser never holds up the others or the lines.
 * Each client's own request thread writes its queue to the network.
 */
final class StreamHub implements AutoCloseable {

    /** Marks the end of a client's stream in its queue. */
    private static final String END = "\u0000end";

    private final int maxClients;
    private final int queueSize;
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    StreamHub(int maxClients, int queueSize) {
        this.maxClients = maxClients;
        this.queueSize = queueSize;
    }

    /** A new client whose queue starts with {@code first}; 503 when the configured number are connected. */
    synchronized Client open(String first) throws ApiException {
        if (closed) {
            throw new ApiException(503, "the web component is stopping; reconnect in a moment");
        }
        if (clients.size() >= maxClients) {
            throw new ApiException(503, "too many dashboards are connected (" + maxClients
                    + "; io.linesight.web: maxStreamClients); close one and reload");
        }
        Client c = new Client(queueSize);
        c.queue.offer(first);
        clients.add(c);
        return c;
    }

    /** Offers one server-sent event to every client; drops the clients that cannot take it. */
    void broadcast(String event, String data) {
        String frame = format(event, ids.incrementAndGet(), data);
        for (Client c : clients) {
            if (!c.queue.offer(frame)) {
                c.drop("too slow: " + queueSize + " updates waiting");
            }
        }
    }

    int size() {
        return clients.size();
    }

    /** Ends every stream; their threads return within one poll. */
    @Override
    public synchronized void close() {
        closed = true;
        clients.forEach(c -> c.drop("server stopping"));
    }

    /** One event in the text/event-stream format; {@code data} is one line of JSON. */
    static String format(String event, long id, String data) {
        return "event: " + event + "\nid: " + id + "\ndata: " + data.replace("\n", "\ndata: ") + "\n\n";
    }

    /** One connected dashboard. */
    final class Client {
        private final BlockingQueue<String> queue;
        private volatile String dropped;

        private Client(int size) {
            queue = new ArrayBlockingQueue<>(size + 1); // + 1: room for END even when full
        }

        /**
         * The next event to write, {@code ""} (empty) when nothing came within {@code timeoutMs} (write a
         * keep-alive comment), or null when the stream is over.
         */
        String next(long timeoutMs) throws InterruptedException {
            if (dropped != null) {
                return null;
            }
            String next = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (next == null) {
                return "";
            }
            return END.equals(next) || dropped != null ? null : next;
        }

        /** Why the stream ended, or null while it runs. */
        String droppedBecause() {
            return dropped;
        }

        void drop(String why) {
            if (dropped == null) {
                dropped = why;
                queue.clear();
                queue.offer(END);
            }
            clients.remove(this);
        }
    }
}
