package io.linesight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.output.MonitoredOutput;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputCommandsTest {

    private final OutputCommands commands = new OutputCommands();

    @Test
    void withoutOutputsItSaysHowToGetOne() {
        assertEquals(OutputTable.NO_OUTPUT, commands.outputs());
    }

    @Test
    void listsBoundOutputsSortedByIdAndForgetsUnboundOnes() {
        MonitoredOutput zeta = () -> OutputTableTest.connected("zeta");
        commands.bindOutput(zeta);
        commands.bindOutput(() -> OutputTableTest.unreachable("alpha"));

        List<String> ids = commands.outputs().lines().skip(1).map(row -> row.split(" ")[0]).toList();
        assertEquals(List.of("alpha", "zeta"), ids);

        commands.unbindOutput(zeta);
        assertEquals(List.of("alpha"), commands.outputs().lines().skip(1).map(row -> row.split(" ")[0]).toList());
    }

    @Test
    void anIdShowsThatOutputsCountersOrTheKnownIds() {
        commands.bindOutput(() -> OutputTableTest.connected("default"));

        assertEquals(OutputTable.detail(OutputTableTest.connected("default")), commands.outputs("default"));
        assertEquals("No output 'nope'. Known outputs: default", commands.outputs("nope"));
    }

    @Test
    void aFailingOutputIsReportedWithoutHidingTheOthers() {
        commands.bindOutput(() -> OutputTableTest.connected("good"));
        commands.bindOutput(() -> {
            throw new IllegalStateException("boom");
        });

        String text = commands.outputs();

        assertTrue(text.lines().anyMatch(row -> row.startsWith("good ") && row.contains("CONNECTED")), text);
        assertTrue(text.endsWith("1 output(s): status unavailable (see the log)"), text);
    }
}
