package io.linesight.plc.modbus;

import com.digitalpetri.modbus.requests.ModbusRequest;
import com.digitalpetri.modbus.requests.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.requests.WriteSingleRegisterRequest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes result registers to the PLC in the order the results arrived, one request in flight at a time.
 * Writes wait in a bounded queue ({@value #CAPACITY}); when it is full (PLC slow or down) the oldest
 * waiting write is dropped and counted, because the registers mean "the latest result" and the newest
 * must get through. A write that failed on a lost connection is retried after the reconnect; a write
 * the PLC refused (Modbus exception) is dropped and counted.
 *
 * <p>{@link #submit} runs on the line's thread and never blocks; the writing runs on the
 * {@link TimerThread}.
 */
final class ResultWriter {

    /** One register write: consecutive holding registers from {@code address}. */
    record RegisterWrite(int address, int[] words) {
        String describe() {
            return words.length == 1 ? "holding register " + address
                    : "holding registers " + address + ".." + (address + words.length - 1);
        }
    }

    static final int CAPACITY = 64;

    private final TimerThread timer;
    private final ModbusLink link;
    private final Counters counters;
    private final Alarms alarms;
    private final ArrayBlockingQueue<RegisterWrite> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicBoolean draining = new AtomicBoolean();
    private RegisterWrite current;

    ResultWriter(TimerThread timer, ModbusLink link, Counters counters, Alarms alarms) {
        this.timer = timer;
        this.link = link;
        this.counters = counters;
        this.alarms = alarms;
    }

    /** Any thread: queues the write (dropping the oldest if full) and makes sure the drain runs. */
    void submit(RegisterWrite write) {
        while (!queue.offer(write)) {
            if (queue.poll() != null) {
                counters.resultsDropped.incrementAndGet();
            }
        }
        kick();
    }

    /** Any thread: starts the drain unless it is running. */
    void kick() {
        if (draining.compareAndSet(false, true)) {
            timer.soon(this::writeNext);
        }
    }

    private void writeNext() {
        if (current == null) {
            current = queue.poll();
        }
        if (current == null || link.state() != ConnectionState.CONNECTED) {
            draining.set(false);
            // a submit between poll() and set(false) saw draining=true and did not kick
            if (current == null && !queue.isEmpty()) {
                kick();
            }
            return;
        }
        RegisterWrite write = current;
        link.send(request(write)).whenComplete((answer, error) -> timer.run(() -> written(write, error)));
    }

    private void written(RegisterWrite write, Throwable error) {
        if (error == null) {
            counters.resultsWritten.incrementAndGet();
            alarms.accepted("resultRegisterBase");
        } else if (Alarms.isRefusal(error)) {
            alarms.refused("resultRegisterBase", write.describe(), error);
        } else {
            // connection lost: keep the write; the reconnect kicks the drain again
            draining.set(false);
            return;
        }
        current = null;
        writeNext();
    }

    private static ModbusRequest request(RegisterWrite write) {
        if (write.words().length == 1) {
            return new WriteSingleRegisterRequest(write.address(), write.words()[0]);
        }
        return new WriteMultipleRegistersRequest(write.address(), write.words().length,
                ResultRegisters.toBytes(write.words()));
    }
}
