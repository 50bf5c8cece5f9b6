package io.linesight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.inspection.InspectionLine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InspectCommandsTest {

    private final InspectCommands commands = new InspectCommands();

    @Test
    void linesWithoutAnyLineSaysWhatToConfigure() {
        assertEquals(LineTable.NO_LINE, commands.lines());
    }

    @Test
    void linesListsBoundLinesSortedById() {
        commands.bindLine(Statuses.line("zeta", () -> Statuses.running("zeta")), Statuses.props("zeta"));
        commands.bindLine(Statuses.line("alpha", () -> Statuses.faulted("alpha")), Statuses.props("alpha"));

        List<String> ids = commands.lines().lines().skip(1).map(row -> row.split(" ")[0]).toList();

        assertEquals(List.of("alpha", "zeta"), ids);
    }

    @Test
    void statusShowsTheDetailOfOneLine() {
        commands.bindLine(Statuses.line("default", () -> Statuses.running("default")), Statuses.props("default"));

        assertEquals(StatusFormatter.detail(Statuses.running("default")), commands.status("default"));
    }

    @Test
    void unknownIdIsAMessageListingKnownIds() {
        commands.bindLine(Statuses.line("default", () -> Statuses.running("default")), Statuses.props("default"));
        commands.bindLine(Statuses.line("line-2", () -> Statuses.running("line-2")), Statuses.props("line-2"));

        assertEquals("No line 'nope'. Known lines: default, line-2", commands.status("nope"));
        assertEquals("Usage: inspect:status <line>, e.g. inspect:status default; lines: default, line-2"
                + " (no argument given).", commands._main("status"));
    }

    @Test
    void unbindingRemovesTheLine() {
        InspectionLine line = Statuses.line("default", () -> Statuses.running("default"));
        commands.bindLine(line, Statuses.props("default"));

        commands.unbindLine(line);

        assertEquals(LineTable.NO_LINE, commands.lines());
    }

    @Test
    void unbindingAnOlderServiceKeepsTheNewerOneWithTheSameId() {
        InspectionLine old = Statuses.line("default", () -> Statuses.faulted("default"));
        InspectionLine newer = Statuses.line("default", () -> Statuses.running("default"));
        commands.bindLine(old, Statuses.props("default"));
        commands.bindLine(newer, Statuses.props("default"));

        commands.unbindLine(old);

        assertTrue(commands.status("default").contains("RUNNING"), commands.status("default"));
    }

    @Test
    void theIdPropertyIsOptional() {
        commands.bindLine(Statuses.line("own-id", () -> Statuses.running("own-id")), Map.of());

        assertTrue(commands.status("own-id").startsWith("line"), commands.status("own-id"));
    }

    @Test
    void aFailingLineIsReportedWithoutHidingTheOthers() {
        commands.bindLine(Statuses.line("good", () -> Statuses.running("good")), Statuses.props("good"));
        commands.bindLine(Statuses.line("bad", () -> {
            throw new IllegalStateException("boom");
        }), Statuses.props("bad"));

        String text = commands.lines();

        assertTrue(text.lines().anyMatch(row -> row.startsWith("good ") && row.contains("RUNNING")), text);
        assertTrue(text.endsWith("line bad: status unavailable (see the log)"), text);
        assertEquals("line bad: status unavailable (see the log)", commands.status("bad"));
    }
}
