package io.linesight.plc.modbus;

import com.digitalpetri.modbus.ModbusResponseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is wrong with one PLC link, for people and SCADA: the PLC unreachable, rejects missed, writes the
 * PLC refused. Each alarm is logged as WARN at most once per {@value #WARN_INTERVAL_S} s per kind (a model
 * that is always too late or a wrong address must not flood the log; the rest go to DEBUG) and kept as the
 * text of {@link #detail()}, which {@code OutputStatus.detail} carries to the console and OPC UA.
 *
 * <p>Thread-safe: called from the line's thread, the timer thread and the netty event loop.
 */
final class Alarms {

    static final long WARN_INTERVAL_S = 10;
    /** How long a missed reject stays in the detail after the last one. */
    static final long MISS_SHOWN_S = 60;
    private static final Logger LOG = LoggerFactory.getLogger(Alarms.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(WARN_INTERVAL_S);

    /** One alarm's latest text and when it was raised (monotonic). */
    private record Note(String text, long atNanos) {
    }

    private final String endpoint;
    private final Counters counters;
    private final LongSupplier clock;
    private final Map<String, Long> lastWarnNanos = new ConcurrentHashMap<>();
    private final Map<String, Note> refusals = new ConcurrentHashMap<>();
    private volatile Note unreachable;
    private volatile Note lastMiss;
    private volatile Note linesAmbiguous;
    private volatile Note otherMaster;
    /** Where alarms go as runtime events: kind, source ({@code output/<id>} or {@code line/<id>}), sentence. */
    interface EventSink {
        void publish(io.linesight.api.event.EventKind kind, String source, String text);
    }

    private static final EventSink NOWHERE = (kind, source, text) -> { };
    /** Where PLC lost / restored and missed rejects go as runtime events (the event board, when there is one). */
    private volatile EventSink events = NOWHERE;
    private volatile String outputSource = "output/?";

    /** Sends PLC lost / restored (as {@code outputSource}) and missed rejects (as their line) to {@code sink}. */
    void reportEventsTo(EventSink sink, String outputSource) {
        this.outputSource = outputSource;
        events = sink == null ? NOWHERE : sink;
        if (sink != null) {
            raiseStanding(sink);
        }
    }

    /**
     * A board that arrives after a condition was raised (it binds late, or its bundle was updated) still gets it:
     * the conditions that stand now are raised on it again.
     */
    private void raiseStanding(EventSink sink) {
        Note outage = unreachable;
        if (outage != null) {
            sink.publish(io.linesight.api.event.EventKind.PLC_LOST, outputSource, lostText(outage.text()));
        }
        Note wiring = linesAmbiguous;
        if (wiring != null) {
            sink.publish(io.linesight.api.event.EventKind.OUTPUT_LINES_AMBIGUOUS, outputSource, wiring.text());
        }
        Note rival = otherMaster;
        if (rival != null) {
            sink.publish(io.linesight.api.event.EventKind.PLC_OTHER_MASTER, outputSource, rival.text());
        }
    }

    Alarms(String endpoint, Counters counters, LongSupplier clock) {
        this.endpoint = endpoint;
        this.counters = counters;
        this.clock = clock;
    }

    /** The link lost the PLC (the link logs the outage itself, once). */
    void unreachable(String cause) {
        Note current = unreachable;
        unreachable = new Note(cause, current == null ? clock.getAsLong() : current.atNanos());
        if (current == null) {
            events.publish(io.linesight.api.event.EventKind.PLC_LOST, outputSource, lostText(cause));
        }
    }

    private String lostText(String cause) {
        return "PLC at " + endpoint + " unreachable: " + cause + "; rejects cannot reach the ejector. Check the PLC,"
                + " the network and the output's host/port";
    }

    /** The PLC answers again. */
    void reachable() {
        Note before = unreachable;
        unreachable = null;
        if (before != null) {
            events.publish(io.linesight.api.event.EventKind.PLC_RESTORED, outputSource, "PLC at " + endpoint + " answers again");
        }
    }

    /**
     * The output's wiring became ambiguous (it names no lines and the runtime runs several: {@code text} says which
     * and what to do) or is clear again ({@code text} null). Raised and cleared as an alarm of the output.
     */
    void linesAmbiguous(String text) {
        Note before = linesAmbiguous;
        linesAmbiguous = text == null ? null : new Note(text, clock.getAsLong());
        if (text != null && before == null) {
            LOG.error("PLC at {}: {}", endpoint, text);
            events.publish(io.linesight.api.event.EventKind.OUTPUT_LINES_AMBIGUOUS, outputSource, text);
        } else if (text == null && before != null) {
            LOG.info("PLC at {}: the output serves one line again and drives its ejector", endpoint);
            events.publish(io.linesight.api.event.EventKind.OUTPUT_LINES_RESOLVED, outputSource,
                    "the output serves one line again and drives its ejector");
        }
    }

    /**
     * Another runtime drives this PLC ({@code text} says which and what to do), or no longer ({@code text} null).
     * Raised and cleared as an alarm of the output.
     */
    void otherMaster(String text) {
        Note before = otherMaster;
        otherMaster = text == null ? null : new Note(text, clock.getAsLong());
        if (text != null && before == null) {
            LOG.error(text);
            events.publish(io.linesight.api.event.EventKind.PLC_OTHER_MASTER, outputSource, text);
        } else if (text == null && before != null) {
            LOG.info("PLC at {}: no other runtime drives it any more; this output drives it", endpoint);
            events.publish(io.linesight.api.event.EventKind.PLC_OTHER_MASTER_GONE, outputSource,
                    "PLC at " + endpoint + ": no other runtime drives it any more; this output drives it");
        }
    }

    /**
     * A REJECT was not ejected: counted, logged (rate-limited), shown for a while
     * and raised as a REJECT_MISSED alarm of the line naming the part (frame sequence) and why; that alarm latches
     * until an operator acknowledges it.
     */
    void missed(String lineId, long sequence, int coil, MissReason reason, String why) {
        long missed = counters.rejectsMissed.incrementAndGet();
        lastMiss = new Note(why, clock.getAsLong());
        if (mayWarn("missed")) {
            LOG.warn("Missed reject {}#{} on coil {}: {} ({} missed so far)", lineId, sequence, coil, why, missed);
        } else {
            LOG.debug("Missed reject {}#{}: {}", lineId, sequence, why);
        }
        io.linesight.api.event.RuntimeEvent event = new io.linesight.api.event.MissedReject(lineId, sequence,
                outputSource.substring(outputSource.indexOf('/') + 1), reason.name())
                .event(why + "; the part may have passed: take it out by hand, then acknowledge");
        events.publish(event.kind(), event.source(), event.message());
    }


    /**
     * The PLC answered a write with a Modbus exception: counted as a write error, logged naming the
     * address and the configuration property, shown until a write through that property succeeds.
     *
     * @param property the configuration property that set the address, for example {@code resultRegisterBase}
     * @param what     what was written, for example {@code holding registers 100..112}
     */
    void refused(String property, String what, Throwable error) {
        long errors = counters.writeErrors.incrementAndGet();
        String text = "PLC refused the write of " + what + " ('" + property + "'): " + describe(error);
        refusals.put(property, new Note(text, clock.getAsLong()));
        if (mayWarn("refused " + property)) {
            LOG.warn("PLC at {} refused the write of {}: {}; check property '{}' of configuration {} against the"
                    + " PLC's memory map ({} write errors so far)", endpoint, what, describe(error), property,
                    PlcOutputConfig.PID, errors);
        } else {
            LOG.debug("PLC at {} refused the write of {}: {}", endpoint, what, describe(error));
        }
    }

    /** A write through {@code property} succeeded: its refusal, if any, no longer stands. */
    void accepted(String property) {
        if (!refusals.isEmpty()) {
            refusals.remove(property);
        }
    }

    /** The alarms that stand now, joined with "; ", or "" when all is well. */
    String detail() {
        long now = clock.getAsLong();
        List<String> parts = new ArrayList<>();
        Note outage = unreachable;
        if (outage != null) {
            parts.add("PLC unreachable for " + seconds(now - outage.atNanos()) + ": " + outage.text());
        }
        Note rival = otherMaster;
        if (rival != null) {
            parts.add(rival.text());
        }
        Note wiring = linesAmbiguous;
        if (wiring != null) {
            parts.add(wiring.text());
        }
        refusals.values().stream().map(Note::text).sorted().forEach(parts::add);
        Note miss = lastMiss;
        if (miss != null && now - miss.atNanos() < TimeUnit.SECONDS.toNanos(MISS_SHOWN_S)) {
            parts.add(counters.rejectsMissed.get() + " rejects missed, the last " + seconds(now - miss.atNanos())
                    + " ago: " + miss.text());
        }
        return String.join("; ", parts);
    }

    /** True for a Modbus exception answer (the PLC is there but refuses), false for transport trouble. */
    static boolean isRefusal(Throwable error) {
        return unwrap(error) instanceof ModbusResponseException;
    }

    /** "Modbus exception 2 (IllegalDataAddress)", or the transport error's message. */
    static String describe(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof ModbusResponseException refusal) {
            return "Modbus exception " + refusal.getResponse().getExceptionCode().getCode() + " ("
                    + refusal.getResponse().getExceptionCode() + ")";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private boolean mayWarn(String kind) {
        long now = clock.getAsLong();
        Long last = lastWarnNanos.get(kind);
        if (last != null && now - last < WARN_INTERVAL_NANOS) {
            return false;
        }
        // two threads racing here may both warn once; harmless
        lastWarnNanos.put(kind, now);
        return true;
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
