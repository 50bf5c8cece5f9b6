package io.linesight.plc.modbus;

import com.digitalpetri.modbus.ModbusResponseException;
import com.digitalpetri.modbus.master.ModbusTcpMaster;
import com.digitalpetri.modbus.master.ModbusTcpMasterConfig;
import com.digitalpetri.modbus.requests.ModbusRequest;
import com.digitalpetri.modbus.responses.ModbusResponse;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.HashedWheelTimer;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP connection to one PLC, supervised. Connect attempts back off exponentially ({@link Backoff});
 * a request that times out or fails at the transport level counts as a lost connection, and a watchdog
 * notices a connection the PLC closed. An outage is logged once as WARN and the recovery once as INFO;
 * single retries are DEBUG. The outage ends, and the backoff starts again from its minimum, only when the
 * PLC has answered a request: a PLC that accepts connections but does not answer (too slow for
 * {@code requestTimeoutMs}) stays one outage with growing retry delays, not a flood of reconnects.
 *
 * <p>Each connection gets a fresh digitalpetri master that does not reconnect by itself
 * ({@code persistent=false}, {@code lazy=true}), so retry timing is ours, in milliseconds. All masters
 * share one netty event-loop thread and one wheel timer owned by this link and stopped in
 * {@link #close()}; nothing uses the library's static shared pools.
 *
 * <p>Threading: {@link #send} may be called from any thread and never blocks; futures complete on the
 * event loop or the timer thread, so callers only hop back to the {@link TimerThread}. Supervision state
 * is confined to the timer thread.
 */
final class ModbusLink {

    /** How far ahead of its instant a timed write is handed to {@link #runAt}. */
    static final long LEAD_NANOS = TimeUnit.MICROSECONDS.toNanos(1500);
    private static final long MAX_SPIN_NANOS = 2 * LEAD_NANOS;
    private static final Logger LOG = LoggerFactory.getLogger(ModbusLink.class);

    private final PlcSettings settings;
    private final TimerThread timer;
    private final Alarms alarms;
    private final Counters counters;
    private final Runnable onConnected;
    private final Backoff backoff;
    private final NioEventLoopGroup eventLoop;
    private final HashedWheelTimer wheelTimer;

    private volatile ModbusTcpMaster master;
    /** When set, requests pass only while this runtime owns the PLC (see {@link MasterLock}). */
    private volatile MasterLock lock;
    private volatile boolean closed;
    /** Whether the current connection has carried an answer; set on the event loop, read anywhere. */
    private volatile boolean answered;
    private int failedAttempts;
    private boolean outageReported;
    private long outageSinceNanos;

    /**
     * @param onConnected run on the timer thread after every successful (re)connect
     */
    ModbusLink(PlcSettings settings, TimerThread timer, Alarms alarms, Counters counters, Runnable onConnected) {
        this.settings = settings;
        this.timer = timer;
        this.alarms = alarms;
        this.counters = counters;
        this.onConnected = onConnected;
        this.backoff = new Backoff(settings.reconnectBackoffMinMs(), settings.reconnectBackoffMaxMs());
        this.eventLoop = new NioEventLoopGroup(1, new DefaultThreadFactory("linesight-plc-modbus-io", true));
        this.wheelTimer = new HashedWheelTimer(new DefaultThreadFactory("linesight-plc-modbus-wheel", true));
    }

    /** Starts connecting, and the watchdog. */
    void start() {
        timer.run(this::attempt);
        timer.every(this::watch, Math.min(settings.reconnectBackoffMinMs(), 500));
    }

    /** Connected and, with a master lock, owning the PLC: the state in which outputs may drive it. */
    ConnectionState state() {
        MasterLock guard = lock;
        return connected() && (guard == null || guard.owned()) ? ConnectionState.CONNECTED
                : ConnectionState.DISCONNECTED;
    }

    /** Whether the TCP connection is up, owned or not. */
    boolean connected() {
        ModbusTcpMaster current = master;
        return current != null && current.isConnected();
    }

    /** From now on every connection first claims {@code guard}; requests pass only while it is owned. */
    void guardWith(MasterLock guard) {
        this.lock = guard;
    }

    /**
     * Sends one write request. Fails at once when not connected (the request is released); otherwise
     * completes with the PLC's answer, a {@link ModbusResponseException} for a Modbus exception answer,
     * or a {@link TimeoutException} after {@code requestTimeoutMs}. Only for requests whose response
     * holds no buffer (writes): late responses are not released by the caller.
     */
    CompletableFuture<ModbusResponse> send(ModbusRequest request) {
        MasterLock guard = lock;
        if (guard != null && !guard.owned()) {
            ReferenceCountUtil.release(request);
            return CompletableFuture.failedFuture(new IOException("PLC at " + settings.endpoint()
                    + " is not driven by this runtime (master lock)"));
        }
        return sendUnguarded(request);
    }

    /**
     * A read: as {@link #send} but past the master lock, and the caller must release the response it gets (it holds
     * a buffer). For the lock's own requests.
     */
    CompletableFuture<ModbusResponse> sendRead(ModbusRequest request) {
        return sendUnguarded(request);
    }

    /** A write past the master lock, for the lock's own registers. */
    CompletableFuture<ModbusResponse> sendUnguarded(ModbusRequest request) {
        ModbusTcpMaster current = master;
        if (current == null || !current.isConnected()) {
            ReferenceCountUtil.release(request);
            return CompletableFuture.failedFuture(new IOException("PLC at " + settings.endpoint() + " not connected"));
        }
        CompletableFuture<ModbusResponse> response = current.sendRequest(request, settings.unitId());
        ScheduledFuture<?> timeout = timer.after(() -> response.completeExceptionally(new TimeoutException(
                "no answer within " + settings.requestTimeoutMs() + " ms ('requestTimeoutMs')")),
                settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        response.whenComplete((answer, error) -> {
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (error == null || Alarms.isRefusal(error)) {
                noteAnswer(current);
            } else {
                timer.run(() -> lost(current, error));
            }
        });
        return response;
    }

    /**
     * Runs {@code action} on the link's network thread at {@code atNanos} (monotonic clock), for writes
     * that must leave at an instant (the reject coil). The caller hands it over {@link #LEAD_NANOS} ahead;
     * the network thread then waits out the rest itself, spinning, and the sends the action makes are
     * written from that thread at once. So neither the timer thread's nor the network thread's wake-up
     * latency (tens of microseconds on an idle machine, milliseconds on a saturated one) delays the
     * write, as long as it is smaller than the lead. The spin is bounded by the lead; an instant that
     * has passed runs the action at once. Writes {@link #send} was given earlier by the same thread go out
     * before the action's (netty runs a loop's tasks in the order they were handed over).
     */
    void runAt(long atNanos, Runnable action) {
        try {
            eventLoop.execute(() -> {
                spinUntil(atNanos);
                action.run();
            });
        } catch (RejectedExecutionException closing) {
            LOG.debug("PLC at {}: link closing, timed write dropped", settings.endpoint());
        }
    }

    /** Waits for the instant on the calling thread: parks while far, spins for the last stretch. */
    private static void spinUntil(long atNanos) {
        for (long left = atNanos - System.nanoTime(); left > 0; left = atNanos - System.nanoTime()) {
            if (left > MAX_SPIN_NANOS) {
                // only if handed over far too early; never parks the loop for longer than that excess
                LockSupport.parkNanos(left - MAX_SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Sends and waits at most {@code requestTimeoutMs}; for deactivation, when the timer is gone. */
    boolean sendAndWait(ModbusRequest request) {
        try {
            send(request).get(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("PLC at {}: final write failed: {}", settings.endpoint(), Alarms.describe(e));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Disconnects and stops the link's threads; waits at most a few seconds. */
    void close() {
        closed = true;
        ModbusTcpMaster current = master;
        master = null;
        if (current != null) {
            try {
                current.disconnect().get(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("PLC at {}: disconnect: {}", settings.endpoint(), Alarms.describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // quiet period 0: nothing more will be submitted; closing the loop closes any socket left
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        wheelTimer.stop();
    }

    private void attempt() {
        if (closed) {
            return;
        }
        ModbusTcpMaster candidate = new ModbusTcpMaster(masterConfig());
        candidate.connect().whenComplete((connected, error) -> timer.run(() -> connectDone(candidate, error)));
    }

    private void connectDone(ModbusTcpMaster candidate, Throwable error) {
        if (closed) {
            candidate.disconnect();
        } else if (error == null) {
            connected(candidate);
        } else {
            candidate.disconnect();
            failedAttempts++;
            reportOutage(error);
            long delay = backoff.delayMs(failedAttempts);
            LOG.debug("PLC at {}: connect attempt {} failed ({}); next in {} ms", settings.endpoint(),
                    failedAttempts, Alarms.describe(error), delay);
            timer.after(this::attempt, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void connected(ModbusTcpMaster candidate) {
        answered = false;
        master = candidate;
        counters.connects.incrementAndGet();
        if (outageReported) {
            LOG.debug("PLC at {}: connected again after {} ms; waiting for its first answer", settings.endpoint(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageSinceNanos));
        } else {
            LOG.info("PLC at {} connected", settings.endpoint());
        }
        MasterLock guard = lock;
        if (guard != null) {
            guard.connected(onConnected);
        } else {
            onConnected.run();
        }
    }

    /** Event loop: the first answer on a connection proves the link healthy. */
    private void noteAnswer(ModbusTcpMaster on) {
        if (!answered && master == on) {
            answered = true;
            timer.run(() -> healthy(on));
        }
    }

    /** Timer thread: the outage, if there was one, is over. */
    private void healthy(ModbusTcpMaster on) {
        if (master != on) {
            return;
        }
        if (outageReported) {
            LOG.info("PLC at {} reachable again after {} ms unreachable", settings.endpoint(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageSinceNanos));
        }
        failedAttempts = 0;
        outageReported = false;
        alarms.reachable();
    }

    /** Timer thread: the connection the master had is gone; drop it and reconnect after backoff. */
    private void lost(ModbusTcpMaster failed, Throwable cause) {
        if (closed || master != failed) {
            return;
        }
        master = null;
        failed.disconnect();
        if (lock != null) {
            lock.disconnected();
        }
        failedAttempts++;
        reportOutage(cause);
        long delay = backoff.delayMs(failedAttempts);
        LOG.debug("PLC at {}: connection lost ({}); reconnecting in {} ms", settings.endpoint(),
                Alarms.describe(cause), delay);
        timer.after(this::attempt, delay, TimeUnit.MILLISECONDS);
    }

    /** Timer thread: notices a connection the PLC closed while no request was in flight. */
    private void watch() {
        ModbusTcpMaster current = master;
        if (current != null && !current.isConnected()) {
            lost(current, new IOException("connection closed by the PLC"));
        }
    }

    private void reportOutage(Throwable cause) {
        alarms.unreachable(Alarms.describe(cause));
        if (!outageReported) {
            outageReported = true;
            outageSinceNanos = System.nanoTime();
            counters.outages.incrementAndGet();
            LOG.warn("PLC at {} unreachable: {}; retrying with backoff up to {} ms. Check the PLC, the network"
                            + " and properties 'host'/'port' of configuration {}", settings.endpoint(),
                    Alarms.describe(cause), settings.reconnectBackoffMaxMs(), PlcOutputConfig.PID);
        }
    }

    private ModbusTcpMasterConfig masterConfig() {
        int timeoutMs = (int) settings.requestTimeoutMs();
        return new ModbusTcpMasterConfig.Builder(settings.host())
                .setPort(settings.port())
                // the library's own request timer counts whole seconds; ours (above) is exact
                .setTimeout(Duration.ofSeconds((timeoutMs + 999) / 1000 + 1))
                .setPersistent(false)
                .setLazy(true)
                .setInstanceId(settings.endpoint())
                .setEventLoop(eventLoop)
                .setExecutor(eventLoop)
                .setScheduler(eventLoop)
                .setWheelTimer(wheelTimer)
                // small writes must leave at once: Nagle would hold the OFF behind the ON's ACK
                .setBootstrapConsumer(bootstrap -> bootstrap
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMs)
                        .option(ChannelOption.TCP_NODELAY, true))
                .build();
    }
}
