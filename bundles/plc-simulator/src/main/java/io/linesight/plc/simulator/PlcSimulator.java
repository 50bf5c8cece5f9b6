package io.linesight.plc.simulator;

import com.digitalpetri.modbus.slave.ModbusTcpSlave;
import com.digitalpetri.modbus.slave.ModbusTcpSlaveConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PLC for demos and tests: a Modbus TCP slave that stores coil and holding-register writes, counts
 * rising edges of the reject coil (one INFO line per finished pulse, with its width) and watches the
 * heartbeat register (INFO when it starts, WARN when it stops changing).
 *
 * <p>Runs only with a configuration (PID {@value SimulatorConfig#PID}). If the port cannot be bound
 * (in use, bad address) it logs one ERROR line and stays inactive instead of failing activation: a
 * missing simulator must not take the runtime down. All network work runs on one netty event-loop
 * thread owned by this component and stopped in {@link #deactivate()}.
 *
 * <p>The public query methods are for tests and the console; they are thread-safe.
 */
@Component(configurationPid = SimulatorConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = SimulatorConfig.class)
public final class PlcSimulator {

    private static final Logger LOG = LoggerFactory.getLogger(PlcSimulator.class);
    private static final long BIND_TIMEOUT_SECONDS = 10;

    private final SimulatorSettings settings;
    private final PlcMemory memory;
    private final PulseMonitor rejectPulses = new PulseMonitor();
    private final HeartbeatWatch heartbeat;
    private final NioEventLoopGroup eventLoop;
    private final HashedWheelTimer wheelTimer;
    private final ModbusTcpSlave slave;
    private final boolean listening;
    /** Seconds between two pulse counts in the log. */
    static final long PULSE_SUMMARY_S = 60;
    private long pulsesSummarised;
    private long pulsesSummarisedNanos = System.nanoTime();
    /** Why the socket could not be bound, for the launcher's start-up line; null while listening. */
    private String bindFailure;
    private org.osgi.framework.ServiceRegistration<?> endpoint;

    /**
     * As {@link #PlcSimulator(SimulatorConfig)}, then tells the launcher whether the simulator listens: a service
     * with the properties of {@code io.linesight.api.runtime.ListeningEndpoint} (this bundle starts before the API
     * bundle, so it registers under its own class and the launcher finds it by property).
     */
    @Activate
    public PlcSimulator(SimulatorConfig config, org.osgi.framework.BundleContext context) {
        this(config);
        java.util.Hashtable<String, Object> properties = new java.util.Hashtable<>();
        properties.put("linesight.endpoint.name", "PLC simulator");
        properties.put("linesight.endpoint.address", settings.bindAddress() + ":" + settings.port());
        if (bindFailure != null) {
            properties.put("linesight.endpoint.failure", bindFailure);
        }
        endpoint = context.registerService(PlcSimulator.class, this, properties);
    }

    /** Binds the server socket; see the class comment for what happens when that fails. */
    public PlcSimulator(SimulatorConfig config) {
        settings = SimulatorSettings.from(config);
        memory = new PlcMemory(settings.coilCount(), settings.holdingRegisterCount(), new Observer());
        heartbeat = new HeartbeatWatch(settings.heartbeatTimeoutMs());
        eventLoop = new NioEventLoopGroup(1, new DefaultThreadFactory("linesight-plc-simulator", true));
        // the slave never uses the timer, but its config builder would otherwise create a static one
        wheelTimer = new HashedWheelTimer(new DefaultThreadFactory("linesight-plc-simulator-timer", true));
        slave = new QuietSlave(new ModbusTcpSlaveConfig.Builder()
                .setEventLoop(eventLoop).setExecutor(eventLoop).setWheelTimer(wheelTimer).build());
        slave.setRequestHandler(new SlaveRequestHandler(memory));
        listening = bind();
        if (listening) {
            long checkMs = Math.min(1000, settings.heartbeatTimeoutMs() / 2);
            eventLoop.scheduleAtFixedRate(this::checkHeartbeat, checkMs, checkMs, TimeUnit.MILLISECONDS);
            LOG.info("PLC simulator listening on {}:{}: {} coils, {} holding registers, reject coil {},"
                            + " heartbeat register {} (timeout {} ms)", settings.bindAddress(), settings.port(),
                    settings.coilCount(), settings.holdingRegisterCount(), settings.rejectCoil(),
                    settings.heartbeatRegister(), settings.heartbeatTimeoutMs());
        } else {
            releaseThreads();
        }
    }

    /**
     * Closes the server socket and every connection, and stops the component's threads. Public so a
     * test can stop the simulated PLC the way SCR does.
     */
    @Deactivate
    public void deactivate() {
        if (endpoint != null) {
            endpoint.unregister();
        }
        if (listening) {
            slave.shutdown();
            releaseThreads();
            LOG.info("PLC simulator on {}:{} stopped after {} reject pulses", settings.bindAddress(),
                    settings.port(), rejectPulses.risingEdges());
        }
    }

    /** Whether the server socket is bound (false after a bind failure). */
    public boolean isListening() {
        return listening;
    }

    /** Rising edges seen on the reject coil. */
    public long rejectPulseCount() {
        return rejectPulses.risingEdges();
    }

    /** Width of the last finished reject pulse in milliseconds, or -1 before the first one ended. */
    public long lastRejectPulseWidthMs() {
        return rejectPulses.lastPulse().map(PulseMonitor.Pulse::widthMillis).orElse(-1L);
    }

    /** The current value of one coil. */
    public boolean coil(int address) {
        return memory.readCoils(address, 1)[0];
    }

    /** The current values of {@code quantity} holding registers, unsigned 16-bit. */
    public int[] holdingRegisters(int address, int quantity) {
        return memory.readRegisters(address, quantity);
    }

    /** How often the heartbeat register changed value. */
    public long heartbeatChanges() {
        return heartbeat.changes();
    }

    /** Whether the heartbeat changed within the timeout. */
    public boolean isHeartbeatAlive() {
        return heartbeat.alive();
    }

    private boolean bind() {
        try {
            slave.bind(settings.bindAddress(), settings.port()).get(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            bindFailure = String.valueOf(cause.getMessage()).contains("in use") ? "port " + settings.port() + " in use"
                    : "port " + settings.port() + ": " + cause.getMessage();
            LOG.error("PLC simulator cannot listen on {}:{}: {}. Free port {} or change 'port'/'bindAddress'"
                            + " in configuration {}", settings.bindAddress(), settings.port(), cause,
                    settings.port(), SimulatorConfig.PID);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("PLC simulator: interrupted while binding {}:{}", settings.bindAddress(), settings.port());
            return false;
        }
    }

    private void releaseThreads() {
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        wheelTimer.stop();
    }

    private void checkHeartbeat() {
        summarisePulses(System.nanoTime());
        if (heartbeat.check(System.nanoTime()) == HeartbeatWatch.Transition.STOPPED) {
            LOG.warn("PLC simulator: heartbeat register {} unchanged for {} ms (last value {}): is the"
                            + " LineSight runtime alive?", settings.heartbeatRegister(),
                    settings.heartbeatTimeoutMs(), heartbeat.lastValue());
        }
    }

    /**
     * Event loop: once a minute, if pulses came, one INFO line with how many. The first pulse is logged at INFO on
     * its own (the simulator works); each further one only at DEBUG, so a running line does not log every pulse.
     */
    private void summarisePulses(long now) {
        if (now - pulsesSummarisedNanos < TimeUnit.SECONDS.toNanos(PULSE_SUMMARY_S)) {
            return;
        }
        long total = rejectPulses.risingEdges();
        if (total > pulsesSummarised) {
            LOG.info("PLC simulator: {} reject pulses on coil {} in the last {} s ({} in all)", total - pulsesSummarised,
                    settings.rejectCoil(), TimeUnit.NANOSECONDS.toSeconds(now - pulsesSummarisedNanos), total);
        }
        pulsesSummarised = total;
        pulsesSummarisedNanos = now;
    }

    /** Turns stored writes into edges and beats; runs on the event loop inside {@link PlcMemory}. */
    private final class Observer implements PlcMemory.Listener {

        @Override
        public void coilWritten(int address, boolean value) {
            if (address != settings.rejectCoil()) {
                return;
            }
            rejectPulses.onWrite(value, System.nanoTime()).ifPresent(pulse -> {
                if (pulse.number() == 1) {
                    LOG.info("PLC simulator: first reject pulse on coil {}, width {} ms (further pulses: a count every"
                            + " {} s, each at DEBUG)", address, pulse.widthMillis(), PULSE_SUMMARY_S);
                } else {
                    LOG.debug("PLC simulator: reject pulse #{} on coil {}, width {} ms", pulse.number(), address,
                            pulse.widthMillis());
                }
            });
        }

        @Override
        public void registerWritten(int address, int value) {
            if (address != settings.heartbeatRegister()) {
                LOG.trace("PLC simulator: holding register {} = {}", address, value);
                return;
            }
            if (heartbeat.onWrite(value, System.nanoTime()) == HeartbeatWatch.Transition.ALIVE) {
                LOG.info("PLC simulator: heartbeat on register {} is alive (value {})", address, value);
            } else {
                LOG.debug("PLC simulator: heartbeat register {} = {}", address, value);
            }
        }
    }

    /** A slave whose connection errors (a master that vanished) are one DEBUG line, not a stack trace. */
    private static final class QuietSlave extends ModbusTcpSlave {

        QuietSlave(ModbusTcpSlaveConfig config) {
            super(config);
        }

        @Override
        protected void onExceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("PLC simulator: connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
