package io.linesight.events;

import io.linesight.api.event.EventBoard;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.event.RuntimeEventListener;
import java.util.List;
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
    }

    private final List<RuntimeEventListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong undelivered = new AtomicLong();
    private final EventLedger ledger;
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
        this.ledger = new EventLedger(recent);
        this.dispatcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "linesight-events");
            t.setDaemon(true);
            return t;
        });
        LOG.info("Event board ready: keeps {} recent events, dispatch queue {}", recent, queue);
    }

    @Deactivate
    void deactivate() {
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
        RuntimeEvent numbered;
        synchronized (ledger) {
            numbered = ledger.record(event);
        }
        if (numbered == null) {
            return event; // repeats an active condition, or clears one that is not active
        }
        log(numbered);
        try {
            dispatcher.execute(() -> deliver(numbered));
        } catch (RejectedExecutionException e) {
            long lost = undelivered.incrementAndGet();
            LOG.warn("Event #{} not delivered to listeners: dispatch queue full ({} undelivered so far); a listener is too slow",
                    numbered.sequence(), lost);
        }
        return numbered;
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

    private static void log(RuntimeEvent e) {
        if (e.kind().raisesAlarm() || e.kind().severity() >= 600) {
            LOG.warn("ALARM #{} {} {}: {}", e.sequence(), e.kind(), e.source(), e.message());
        } else {
            LOG.info("Event #{} {} {}: {}", e.sequence(), e.kind(), e.source(), e.message());
        }
    }
}
