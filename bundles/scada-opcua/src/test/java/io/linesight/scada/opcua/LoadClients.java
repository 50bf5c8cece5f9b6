package io.linesight.scada.opcua;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

/**
 * The SCADA side of {@link SubscriptionLoadBenchmark}, in its own JVM so that the clients' decryption and
 * decoding is not counted inside the server's process (in a plant the SCADA clients run on other machines).
 * Arguments: endpoint URL, PKI folder of the server (to trust this client's certificate), number of clients,
 * user, password, then the item paths. Prints {@code READY} once every client is subscribed, keeps the
 * notification queues drained, and counts the notifications received between the first and the second line
 * read from standard input ({@code START}, {@code STOP}); then prints {@code NOTIFICATIONS <count> <seconds>}
 * and disconnects.
 */
public final class LoadClients {

    private LoadClients() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path pki = Path.of(args[1]);
        int clients = Integer.parseInt(args[2]);
        String user = args[3];
        String password = args[4];
        List<String> items = List.of(args).subList(5, args.length);
        ClientCertificate certificate = ClientCertificate.create("urn:linesight:test:scada-load");
        certificate.trustIn(pki);
        List<ScadaClient> connected = new ArrayList<>();
        List<BlockingQueue<DataValue>> queues = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                ScadaClient client = ScadaClient.login(url, certificate, user, password);
                connected.add(client);
                for (String item : items) {
                    queues.add(client.subscribe(item));
                }
            }
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            Drainer drainer = new Drainer(queues);
            drainer.start();
            in.readLine(); // START: count from here
            long count0 = drainer.count();
            long t0 = System.nanoTime();
            in.readLine(); // STOP
            long count = drainer.count() - count0;
            double seconds = (System.nanoTime() - t0) / 1e9;
            drainer.interrupt();
            System.out.printf(java.util.Locale.ROOT, "NOTIFICATIONS %d %.3f%n", count, seconds);
            System.out.flush();
        } finally {
            connected.forEach(ScadaClient::close);
        }
    }

    /** Empties the clients' queues every 50 ms so they stay small; counts what it took out. */
    private static final class Drainer extends Thread {
        private final List<BlockingQueue<DataValue>> queues;
        private volatile long count;

        Drainer(List<BlockingQueue<DataValue>> queues) {
            super("load-clients-drainer");
            setDaemon(true);
            this.queues = queues;
        }

        long count() {
            drainOnce();
            return count;
        }

        private synchronized void drainOnce() {
            List<DataValue> sink = new ArrayList<>();
            for (BlockingQueue<DataValue> q : queues) {
                q.drainTo(sink);
            }
            count += sink.size();
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                drainOnce();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
