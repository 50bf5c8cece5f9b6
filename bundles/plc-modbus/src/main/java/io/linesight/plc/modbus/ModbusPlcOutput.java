package io.linesight.plc.modbus;

import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.inspection.Verdict;
import java.time.Instant;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PLC output: a {@link ResultSink} that speaks Modbus TCP to one PLC (factory PID
 * {@value PlcOutputConfig#PID}, one configuration per PLC; the configuration's {@code lines} property
 * becomes the sink's service property and restricts it to those lines).
 *
 * <ul>
 *   <li>every REJECT pulses the reject coil at the ejector ({@link RejectPulser});</li>
 *   <li>every result is written to eight holding registers ({@link ResultRegisters}, {@link ResultWriter});
 *       a line state change without a result writes the line state register alone;</li>
 *   <li>a heartbeat register counts up while the runtime runs ({@link Heartbeat});</li>
 *   <li>the connection is supervised and retried with backoff ({@link ModbusLink}).</li>
 * </ul>
 *
 * <p>{@link #publish} only copies and schedules (microseconds, never blocks, never throws for PLC
 * trouble). A dead PLC is a state ({@link #connectionState()}) plus one WARN, not an exception. All
 * threads (timer, netty event loop, wheel timer) belong to this instance and end in {@link #deactivate()}.
 */
// immediate: the link connects and the heartbeat runs from configuration on, not from the first line
@Component(configurationPid = PlcOutputConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ResultSink.class, immediate = true)
@Designate(ocd = PlcOutputConfig.class, factory = true)
public final class ModbusPlcOutput implements ResultSink {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusPlcOutput.class);

    private final PlcSettings settings;
    private final Counters counters = new Counters();
    private final TimerThread timer;
    private final ModbusLink link;
    private final RejectPulser pulser;
    private final ResultWriter writer;
    private final Heartbeat heartbeat;

    /** Validates the configuration (a bad value fails here, naming the property) and starts connecting. */
    @Activate
    public ModbusPlcOutput(PlcOutputConfig config) {
        settings = PlcSettings.from(config);
        timer = new TimerThread("linesight-plc-modbus-timer " + settings.endpoint());
        link = new ModbusLink(settings, timer, this::onConnected);
        pulser = new RejectPulser(settings, timer, link, counters);
        writer = new ResultWriter(timer, link, counters);
        heartbeat = new Heartbeat(settings, timer, link, counters);
        LOG.info("PLC output active: {}", settings.describe());
        link.start();
        heartbeat.start();
    }

    @Override
    public void publish(InspectionEvent event, LineStatus status) {
        if (event.verdict() == Verdict.REJECT) {
            pulser.reject(event);
        }
        writer.submit(new ResultWriter.RegisterWrite(settings.resultRegisterBase(),
                ResultRegisters.encode(event, status)));
    }

    @Override
    public void lineStatusChanged(LineStatus status) {
        writeLineState(status.state());
    }

    /** The line is gone: the PLC sees it as stopped rather than still running. */
    @Override
    public void lineRemoved(String lineId) {
        writeLineState(LineState.STOPPED);
    }

    /** Whether the PLC is connected now. */
    public ConnectionState connectionState() {
        return link.state();
    }

    /** When the PLC last acknowledged a heartbeat write (wall clock), if ever. */
    public Optional<Instant> lastHeartbeat() {
        return heartbeat.lastAcknowledged();
    }

    /** Pulses, misses, writes and drops since activation. */
    public PlcCounters counters() {
        return counters.snapshot();
    }

    /** Stops pulses and writes, switches the reject coil OFF if connected, disconnects, ends every thread. */
    @Deactivate
    void deactivate() {
        timer.shutdown();
        pulser.forceOff();
        link.close();
        LOG.info("PLC output to {} stopped: {}", settings.endpoint(), counters.snapshot());
    }

    private void writeLineState(LineState state) {
        writer.submit(new ResultWriter.RegisterWrite(settings.resultRegisterBase() + ResultRegisters.LINE_STATE,
                new int[] {state.code()}));
    }

    /** Timer thread, after every (re)connect. */
    private void onConnected() {
        pulser.connected();
        writer.kick();
    }
}
