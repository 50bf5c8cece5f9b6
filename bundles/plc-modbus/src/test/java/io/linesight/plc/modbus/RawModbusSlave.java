package io.linesight.plc.modbus;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A minimal Modbus TCP slave on plain blocking sockets, for what the full slaves cannot do: it stamps
 * every request with {@link System#nanoTime()} the moment its bytes are read (the benchmark's "arrival
 * time", on the same monotonic clock as the master's eject schedule), and it can answer late (a slow PLC).
 * It serves FC05, FC06 and FC16 by echoing them, and records them; requests are answered in order, one
 * thread per connection, so a delay holds every later request too, as a busy PLC would.
 */
final class RawModbusSlave implements AutoCloseable {

    /** One write: function code, address, values (coil: 1/0), arrival on the monotonic clock. */
    record Write(int function, int address, int[] values, long arrivalNanos) {
    }

    private final ServerSocket server;
    private final long responseDelayMs;
    private final List<Write> writes = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    RawModbusSlave(long responseDelayMs) throws IOException {
        this.responseDelayMs = responseDelayMs;
        this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "raw-modbus-slave-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    List<Write> writes() {
        return List.copyOf(writes);
    }

    /** Connections accepted so far. */
    int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : connections) {
            socket.close();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                connections.add(socket);
                Thread reader = new Thread(() -> serve(socket), "raw-modbus-slave-conn");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] header = new byte[7];
            while (!closed) {
                in.readFully(header);
                long arrival = System.nanoTime();
                int length = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
                byte[] pdu = new byte[length - 1];
                in.readFully(pdu);
                writes.add(parse(pdu, arrival));
                if (responseDelayMs > 0) {
                    TimeUnit.MILLISECONDS.sleep(responseDelayMs);
                }
                out.write(response(header, pdu));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the master went away, or close(): nothing to do
        }
    }

    private static Write parse(byte[] pdu, long arrival) {
        int function = pdu[0] & 0xFF;
        int address = word(pdu, 1);
        return switch (function) {
            case 5 -> new Write(function, address, new int[] {word(pdu, 3) == 0xFF00 ? 1 : 0}, arrival);
            case 6 -> new Write(function, address, new int[] {word(pdu, 3)}, arrival);
            case 16 -> {
                int[] values = new int[word(pdu, 3)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = word(pdu, 6 + 2 * i);
                }
                yield new Write(function, address, values, arrival);
            }
            default -> new Write(function, address, new int[0], arrival);
        };
    }

    /** FC05/FC06 echo the request; FC16 answers address and quantity. */
    private static byte[] response(byte[] header, byte[] pdu) {
        int pduLength = (pdu[0] & 0xFF) == 16 ? 5 : pdu.length;
        byte[] frame = new byte[7 + pduLength];
        System.arraycopy(header, 0, frame, 0, 7);
        frame[4] = (byte) ((pduLength + 1) >>> 8);
        frame[5] = (byte) (pduLength + 1);
        System.arraycopy(pdu, 0, frame, 7, pduLength);
        return frame;
    }

    private static int word(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }
}
