package io.linesight.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandOverviewTest {

    @Test
    void groupsByScopeWithArgumentsAndDescriptions() {
        String overview = CommandOverview.format(List.of(
                new CommandOverview.Commands("alarm", List.of("list", "ack", "journal"), new AlarmCommands()),
                new CommandOverview.Commands("linesight", List.of("linesight"), new CommandOverview(null))));
        assertTrue(overview.contains("\nalarm\n"), overview);
        assertTrue(overview.contains("  alarm:ack <the alarm's id>  acknowledge an alarm\n"), overview);
        assertFalse(overview.contains("Usage:") || overview.contains("_main"), "usage is for 'help <command>':\n" + overview);
        assertTrue(overview.contains("  alarm:journal  the alarm journal: the last 20"), overview);
        assertTrue(overview.contains("  alarm:journal <how many entries>  the alarm journal: the last n"), overview);
        assertTrue(overview.indexOf("\nalarm\n") < overview.indexOf("\nlinesight\n"), "scopes sorted");
    }
}
