package io.linesight.events;

import io.linesight.api.event.Alarm;
import io.linesight.api.event.AlarmTransition;
import io.linesight.api.event.EventBoard;
import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.event.RuntimeEventListener;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's event board: every event is logged (WARN for alarms, INFO otherwise), remembered within
 * a bound, and handed to every {@link RuntimeEventListener} on one dispatch thread, in order. Publishers
 * never wait for listeners: the dispatch queue is bounded and an event that does not fit is counted and
 * logged, never blocks the camera or inference thread that published it.
 */
@Component(service = EventBoard.class, configurationPid = EventBoardComponent.PID)
@Designate(ocd = EventBoardComponent.Config.class)
public class EventBoardComponent implements EventBoard {

    static final String PID = "io.linesight.events";
    private static final Logger LOG = LoggerFactory.getLogger(EventBoardComponent.class);

    @ObjectClassDefinition(name = "LineSight event board", description = "Runtime events and active alarms")
    public @interface Config {
        @AttributeDefinition(name = "Recent events kept", description = "How many recent events are kept for the console, SCADA and the web (10..100000)")
        int recentEvents() default 1000;

        @AttributeDefinition(name = "Dispatch queue", description = "Events waiting for listeners at most (10..100000); more are dropped and counted")
        int dispatchQueue() default 1000;

        @AttributeDefinition(name = "Alarm journal", description = "File of the alarm journal (raise, clear, acknowledge);"
                + " empty = <data folder>/alarms/journal.jsonl")
        String alarmJournal() default "";

        @AttributeDefinition(name = "Alarm journal entries", description = "Journal lines kept (100..1000000); older ones are removed")
        int alarmJournalEntries() default 10000;
    }

    private final List<RuntimeEventListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong undelivered = new AtomicLong();
    private final EventLedger ledger;
    private final AlarmJournal journal;
    private final ExecutorService dispatcher;

    @Activate
    public EventBoardComponent(Config config) {
        int recent = config.recentEvents();
        int queue = config.dispatchQueue();
        if (recent < 10 || recent > 100_000) {
            throw new IllegalArgumentException("Invalid configuration " + PID + ": recentEvents must be within 10..100000, was " + recent);
        }
        if (queue < 10 || queue > 100_000) {
            throw new IllegalArgumentException("Invalid configuration " + PID + ": dispatchQueue must be within 10..100000, was " + queue);
        }
        int entries = config.alarmJournalEntries();
        if (entries < 100 || entries > 1_000_000) {
            throw new IllegalArgumentException("Invalid configuration " + PID + ": alarmJournalEntries must be within 100..1000000, was " + entries);
        }
        this.ledger = new EventLedger(recent);
        this.journal = new AlarmJournal(journalFile(config), entries);
        ledger.restore(journal.highestAlarmId(), journal.unacknowledgedLatching());
        this.dispatcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "linesight-events");
            t.setDaemon(true);
            return t;
        });
        LOG.info("Event board ready: keeps {} recent events, dispatch queue {}, alarm journal {} ({} alarms listed from"
                + " before the start)", recent, queue, journalFile(config), ledger.alarms().size());
    }

    private static Path journalFile(Config config) {
        String configured = config.alarmJournal() == null ? "" : config.alarmJournal().trim();
        if (!configured.isEmpty()) {
            return Path.of(configured).toAbsolutePath();
        }
        String data = System.getProperty("linesight.data", System.getProperty("java.io.tmpdir") + "/linesight");
        return Path.of(data, "alarms", "journal.jsonl").toAbsolutePath();
    }

    @Deactivate
    public void deactivate() {
        dispatcher.shutdown();
        try {
            if (!dispatcher.awaitTermination(2, TimeUnit.SECONDS)) {
                dispatcher.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dispatcher.shutdownNow();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(RuntimeEventListener listener) {
        listeners.add(listener);
    }

    void removeListener(RuntimeEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public RuntimeEvent publish(RuntimeEvent event) {
        EventLedger.Outcome outcome;
        synchronized (ledger) {
            outcome = ledger.record(event);
        }
        RuntimeEvent numbered = outcome.event();
        if (numbered == null) {
            return event; // repeats an active condition, or clears one that is not active
        }
        log(numbered, outcome.repeat());
        // The journal is synced to disk: on the dispatch thread, never on the camera or inference thread.
        dispatch(numbered, () -> {
            outcome.transitions().forEach(journal::append);
            deliver(numbered);
        });
        return numbered;
    }

    private void dispatch(RuntimeEvent event, Runnable work) {
        try {
            dispatcher.execute(work);
        } catch (RejectedExecutionException e) {
            long lost = undelivered.incrementAndGet();
            LOG.warn("Event #{} not delivered to listeners nor journaled: dispatch queue full ({} undelivered so far);"
                    + " a listener is too slow", event.sequence(), lost);
        }
    }

    @Override
    public List<Alarm> alarms() {
        synchronized (ledger) {
            return ledger.alarms();
        }
    }

    @Override
    public Optional<Alarm> acknowledge(long alarmId, String who) {
        Optional<EventLedger.Acknowledged> done;
        synchronized (ledger) {
            done = ledger.acknowledge(alarmId, who, Instant.now());
        }
        done.ifPresent(a -> {
            RuntimeEvent announced = publish(RuntimeEvent.of(EventKind.ALARM_ACKNOWLEDGED, a.alarm().source(),
                    "alarm #" + a.alarm().id() + " " + a.alarm().kind() + " acknowledged by " + who));
            dispatch(announced, () -> journal.append(a.transition()));
        });
        return done.map(EventLedger.Acknowledged::alarm);
    }

    @Override
    public List<AlarmTransition> journal(int limit) {
        return journal.newest(limit);
    }

    @Override
    public List<RuntimeEvent> activeAlarms() {
        synchronized (ledger) {
            return ledger.activeAlarms();
        }
    }

    @Override
    public List<RuntimeEvent> recent(int limit) {
        synchronized (ledger) {
            return ledger.recent(limit);
        }
    }

    private void deliver(RuntimeEvent event) {
        for (RuntimeEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Event listener {} failed on event #{}: {}", listener.getClass().getName(), event.sequence(), e.toString());
            }
        }
    }

    private static void log(RuntimeEvent e, boolean repeat) {
        if (repeat) {
            LOG.debug("ALARM #{} {} {} again: {}", e.sequence(), e.kind(), e.source(), e.message());
        } else if (e.kind().raisesAlarm() || e.kind().severity() >= 600) {
            LOG.warn("ALARM #{} {} {}: {}", e.sequence(), e.kind(), e.source(), e.message());
        } else {
            LOG.info("Event #{} {} {}: {}", e.sequence(), e.kind(), e.source(), e.message());
        }
    }
}
