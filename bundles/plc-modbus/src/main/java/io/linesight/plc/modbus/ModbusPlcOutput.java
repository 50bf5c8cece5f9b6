package io.linesight.plc.modbus;

import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.output.MonitoredOutput;
import io.linesight.api.output.OutputState;
import io.linesight.api.output.OutputStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PLC output: a {@link ResultSink} that speaks Modbus TCP to one PLC (factory PID
 * {@value PlcOutputConfig#PID}, one configuration per PLC or per line; the configuration's {@code lines}
 * property becomes the sink's service property and restricts it to those lines).
 *
 * <ul>
 *   <li>every REJECT pulses the reject coil at the ejector ({@link RejectPulser});</li>
 *   <li>every result is written to {@value ResultRegisters#COUNT} holding registers ({@link ResultRegisters},
 *       {@link ResultWriter}); a line state change without a result writes the line state register alone;</li>
 *   <li>the line fault coil is ON while a served line is in FAULT ({@link LineFaults}, {@link FaultCoil});</li>
 *   <li>a heartbeat register counts up while the runtime runs ({@link Heartbeat});</li>
 *   <li>the connection is supervised and retried with backoff ({@link ModbusLink}); its state and alarms
 *       are published as a {@link MonitoredOutput} for the console and SCADA ({@link Alarms}).</li>
 * </ul>
 *
 * <p>{@link #publish} only copies and schedules (microseconds, never blocks, never throws for PLC
 * trouble). A dead PLC is a state plus one WARN, not an exception. All threads (timer, netty event loop,
 * wheel timer) belong to this instance and end in {@link #deactivate()}.
 */
// immediate: the link connects and the heartbeat runs from configuration on, not from the first line
@Component(configurationPid = PlcOutputConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {ResultSink.class, MonitoredOutput.class}, immediate = true)
@Designate(ocd = PlcOutputConfig.class, factory = true)
public final class ModbusPlcOutput implements ResultSink, MonitoredOutput {

    /** The {@link OutputStatus#kind()} of this output. */
    public static final String KIND = "plc";
    private static final Logger LOG = LoggerFactory.getLogger(ModbusPlcOutput.class);

    private final PlcSettings settings;
    private final String outputId;
    private final Counters counters = new Counters();
    private final Alarms alarms;
    private final TimerThread timer;
    private final ModbusLink link;
    private final RejectPulser pulser;
    private final ResultWriter writer;
    private final Heartbeat heartbeat;
    private final LineFaults faults = new LineFaults();
    private final LineWiring wiring;
    private final FaultCoil faultCoil;
    /** Null when the output has no master lock registers. */
    private final MasterLock lock;

    /**
     * Validates the configuration (a bad value fails here, naming the property) and starts connecting.
     *
     * @param properties the component properties, for the output's id (see {@link OutputId})
     */
    @Activate
    public ModbusPlcOutput(PlcOutputConfig config, Map<String, Object> properties) {
        this(config, properties, MasterLock.RUNTIME_TOKEN);
    }

    /** For tests: as if in a runtime whose master lock token is {@code masterToken}. */
    ModbusPlcOutput(PlcOutputConfig config, Map<String, Object> properties, int masterToken) {
        settings = PlcSettings.from(config);
        outputId = OutputId.derive(settings.outputId(), properties, settings.endpoint());
        wiring = new LineWiring(settings.lines());
        alarms = new Alarms(settings.endpoint(), counters, System::nanoTime);
        timer = new TimerThread("linesight-plc-modbus-timer " + settings.endpoint());
        link = new ModbusLink(settings, timer, alarms, counters, this::onConnected);
        pulser = new RejectPulser(settings, timer, link, counters, alarms);
        writer = new ResultWriter(timer, link, counters, alarms);
        heartbeat = new Heartbeat(settings, timer, link, counters, alarms);
        faultCoil = new FaultCoil(settings, timer, link, alarms, faults::any);
        lock = settings.hasMasterLock() ? new MasterLock(settings, timer, link, alarms, masterToken) : null;
        if (lock != null) {
            link.guardWith(lock);
            lock.start();
        }
        LOG.info("PLC output '{}' active for {}: {}", outputId, wiring.describe(), settings.describe());
        link.start();
        heartbeat.start();
    }

    /** For tests: a configuration without component properties. */
    ModbusPlcOutput(PlcOutputConfig config) {
        this(config, Map.of());
    }

    @Override
    public void publish(InspectionEvent event, LineStatus status) {
        if (!wiring.serves(event.lineId())) {
            if (event.verdict() == Verdict.REJECT && wiring.ambiguous()) {
                pulser.notDriven(event, ambiguityText());
            }
            return;
        }
        if (event.verdict() == Verdict.REJECT) {
            pulser.reject(event);
        }
        lineState(status);
        writer.submit(new ResultWriter.RegisterWrite(settings.resultRegisterBase(),
                ResultRegisters.encode(event, status, settings.wordOrder())));
    }

    @Override
    public void lineStatusChanged(LineStatus status) {
        if (!wiring.serves(status.lineId())) {
            return;
        }
        lineState(status);
        writeLineState(status.state());
    }

    /** The line is gone: the PLC sees it as stopped rather than still running, and no longer as faulted. */
    @Override
    public void lineRemoved(String lineId) {
        boolean served = wiring.serves(lineId);
        faults.remove(lineId).ifPresent(this::faultCoilChanged);
        wiring.lineRemoved(lineId).ifPresent(this::wiringChanged);
        if (served) {
            writeLineState(LineState.STOPPED);
        }
    }

    /**
     * A line appeared. Lines tell sinks about state changes only when they happen, so a line that was in
     * FAULT before this output started is learned here, from its status (asked on the timer thread).
     */
    @Reference(service = InspectionLine.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "unbindLine")
    void bindLine(InspectionLine line, Map<String, Object> properties) {
        String lineId = lineId(line, properties);
        wiring.lineAdded(lineId).ifPresent(this::wiringChanged);
        if (wiring.serves(lineId)) {
            timer.run(() -> lineState(line.status()));
        }
    }

    void unbindLine(InspectionLine line, Map<String, Object> properties) {
        String lineId = lineId(line, properties);
        faults.remove(lineId).ifPresent(this::faultCoilChanged);
        wiring.lineRemoved(lineId).ifPresent(this::wiringChanged);
    }

    @Reference(service = io.linesight.api.event.EventBoard.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, unbind = "unbindEvents")
    void bindEvents(io.linesight.api.event.EventBoard board) {
        alarms.reportEventsTo((kind, source, text) -> board.publish(io.linesight.api.event.RuntimeEvent.of(kind, source, text)),
                "output/" + outputId);
    }

    void unbindEvents(io.linesight.api.event.EventBoard board) {
        alarms.reportEventsTo(null, "output/" + outputId);
    }

    @Override
    public OutputStatus outputStatus() {
        OutputState state = link.state() == ConnectionState.CONNECTED ? OutputState.CONNECTED
                : OutputState.DISCONNECTED;
        return new OutputStatus(outputId, KIND, settings.endpoint(), settings.lines(), state, alarms.detail(),
                heartbeat.lastAcknowledged(), counters.snapshot().asMap(), Instant.now());
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
        if (lock != null) {
            lock.release();
        }
        link.close();
        LOG.info("PLC output '{}' to {} stopped: {}", outputId, settings.endpoint(), counters.snapshot());
    }

    private void lineState(LineStatus status) {
        if (status != null) {
            faults.update(status.lineId(), status.state(), status.stateDetail()).ifPresent(this::faultCoilChanged);
        }
    }

    /**
     * An unnamed output just got a second line, or lost it: while ambiguous it pulses no ejector and writes no
     * results, raises an alarm of the output, and holds the line fault coil ON so the PLC knows parts pass
     * without ejection. A line that served alone before keeps its fault state once the ambiguity is gone.
     */
    private void wiringChanged(boolean ambiguous) {
        alarms.linesAmbiguous(ambiguous ? ambiguityText() : null);
        faults.update(LineFaults.WIRING, ambiguous ? LineState.FAULT : LineState.RUNNING,
                ambiguous ? "output names no lines" : null).ifPresent(this::faultCoilChanged);
    }

    private String ambiguityText() {
        String lines = String.join(", ", wiring.presentLines());
        return "output '" + outputId + "' drives no ejector: it names no lines and the runtime runs " + lines
                + ", so it cannot tell whose part a reject is for. Set 'lines' to the line whose ejector it drives"
                + " (e.g. lines=" + wiring.presentLines().iterator().next() + ") in its configuration file ("
                + PlcOutputConfig.PID + "-<name>.cfg)";
    }

    private void faultCoilChanged(boolean on) {
        faultCoil.changed();
        if (settings.hasLineFaultCoil()) {
            LOG.info("PLC at {}: line fault coil {} {}{}", settings.endpoint(), settings.lineFaultCoil(),
                    on ? "ON: line " : "OFF: every served line can inspect", faults.describeFirst().orElse(""));
        }
    }

    private void writeLineState(LineState state) {
        writer.submit(new ResultWriter.RegisterWrite(settings.resultRegisterBase() + ResultRegisters.LINE_STATE,
                new int[] {state.code()}));
    }

    private static String lineId(InspectionLine line, Map<String, Object> properties) {
        Object id = properties.get(InspectionLine.LINE_ID);
        return id instanceof String text && !text.isBlank() ? text : line.id();
    }

    /** Timer thread, after every (re)connect. */
    private void onConnected() {
        pulser.connected();
        faultCoil.connected();
        writer.kick();
    }
}
