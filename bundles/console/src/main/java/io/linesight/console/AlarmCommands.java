package io.linesight.console;

import io.linesight.api.event.Alarm;
import io.linesight.api.event.AlarmTransition;
import io.linesight.api.event.EventBoard;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo commands of the alarm lifecycle: {@code alarm:list} (every alarm an operator must see: active, or not yet
 * acknowledged), {@code alarm:ack <id>} (acknowledged as {@code console}) and {@code alarm:journal [n]} (raises,
 * clears and acknowledgements, with who and when). Times are the runtime's local time with its zone.
 */
@Component(service = Object.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=alarm",
    CommandProcessor.COMMAND_FUNCTION + "=list",
    CommandProcessor.COMMAND_FUNCTION + "=ack",
    CommandProcessor.COMMAND_FUNCTION + "=journal"})
public final class AlarmCommands {

    static final String NO_BOARD = "The event board is not running: no alarms can be shown. Check the runtime's log"
            + " (bundle io.linesight.events).";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    static final String LIST_USAGE = "alarm:list, without arguments";
    static final String ACK_USAGE = "alarm:ack <id>, e.g. alarm:ack 12";
    static final String JOURNAL_USAGE = "alarm:journal [n], e.g. alarm:journal 100";

    private volatile EventBoard board;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBoard(EventBoard service) {
        board = service;
    }

    void unbindBoard(EventBoard service) {
        if (board == service) {
            board = null;
        }
    }

    @Descriptor("list the alarms to see: active, or not yet acknowledged (alarm:ack <id> acknowledges one). Usage: "
            + LIST_USAGE)
    public String list() {
        EventBoard b = board;
        if (b == null) {
            return NO_BOARD;
        }
        return format(b.alarms());
    }

    @Descriptor("acknowledge an alarm. Usage: " + ACK_USAGE)
    public String ack(@Descriptor("the alarm's id, as '#12' in alarm:list") String id) {
        EventBoard b = board;
        if (b == null) {
            return NO_BOARD;
        }
        long number;
        try {
            number = Long.parseLong(id.trim().replace("#", ""));
        } catch (NumberFormatException e) {
            return "'" + id + "' is not an alarm id: give the number alarm:list shows, e.g. alarm:ack 12";
        }
        Optional<Alarm> done = b.acknowledge(number, "console");
        return done.map(a -> "alarm #" + a.id() + " " + a.kind() + " " + a.source() + " acknowledged"
                        + (a.active() ? "; it stays listed until its cause is gone" : ""))
                .orElse("no unacknowledged alarm #" + number + "; alarm:list shows the alarms to acknowledge");
    }

    @Descriptor("the alarm journal: the last 20 raises, clears and acknowledgements. Usage: " + JOURNAL_USAGE)
    public String journal() {
        return journal("20");
    }

    @Descriptor("the alarm journal: the last n raises, clears and acknowledgements. Usage: " + JOURNAL_USAGE)
    public String journal(@Descriptor("how many entries, 1..1000") String n) {
        EventBoard b = board;
        if (b == null) {
            return NO_BOARD;
        }
        int limit;
        try {
            limit = Integer.parseInt(n.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 1000) {
            return "'" + n + "' is not a number of entries: give 1..1000, e.g. alarm:journal 100";
        }
        return formatJournal(b.journal(limit));
    }

    /** Missing or extra arguments: the usage (see {@link Usage}). */
    public String _main(Object... nameAndArguments) {
        return Usage.wrongArguments(nameAndArguments, Map.of("list", LIST_USAGE, "ack", ACK_USAGE,
                "journal", JOURNAL_USAGE));
    }

    static String format(List<Alarm> alarms) {
        if (alarms.isEmpty()) {
            return "No alarms: nothing active, nothing waiting for acknowledgement.";
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-5s %-22s %-24s %-8s %-28s %s%n", "#",
                "raised", "alarm", "state", "acknowledged", "source: message"));
        for (Alarm a : alarms) {
            out.append(String.format(Locale.ROOT, "%-5s %-22s %-24s %-8s %-28s %s: %s%s%n", a.id(), time(a.raisedAt()),
                    a.kind(), a.active() ? "ACTIVE" : "cleared", a.acknowledged() ? "by " + a.acknowledgedBy() : "no",
                    a.source(), a.message(), a.occurrences() > 1 ? " (" + a.occurrences() + " times)" : ""));
        }
        return out.toString().stripTrailing();
    }

    static String formatJournal(List<AlarmTransition> entries) {
        if (entries.isEmpty()) {
            return "The alarm journal is empty.";
        }
        StringBuilder out = new StringBuilder();
        for (AlarmTransition t : entries) {
            out.append(String.format(Locale.ROOT, "%-22s #%-5d %-12s %-24s %-18s %s: %s%n", time(t.time()), t.alarmId(),
                    t.change(), t.kind(), t.who(), t.source(), t.message()));
        }
        return out.toString().stripTrailing();
    }

    private static String time(java.time.Instant instant) {
        return TIME.format(instant.atZone(ZoneId.systemDefault()));
    }
}
