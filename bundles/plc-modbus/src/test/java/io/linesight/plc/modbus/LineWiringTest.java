package io.linesight.plc.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LineWiringTest {

    @Test
    void namedLinesAreServedWhateverElseRuns() {
        LineWiring wiring = new LineWiring(List.of("default"));
        wiring.lineAdded("default");
        assertEquals(Optional.empty(), wiring.lineAdded("golden"), "a named output never becomes ambiguous");

        assertTrue(wiring.serves("default"));
        assertFalse(wiring.serves("golden"), "a line added by copying a .cfg file does not drive this ejector");
        assertFalse(wiring.ambiguous());
    }

    @Test
    void unnamedOutputServesTheOnlyLineAndNoneOnceThereAreTwo() {
        LineWiring wiring = new LineWiring(List.of());
        assertEquals(Optional.empty(), wiring.lineAdded("default"));
        assertTrue(wiring.serves("default"));
        assertFalse(wiring.serves("golden"), "a line it was not told about is a second line");

        assertEquals(Optional.of(true), wiring.lineAdded("golden"));
        assertTrue(wiring.ambiguous());
        assertFalse(wiring.serves("default"));
        assertFalse(wiring.serves("golden"));

        assertEquals(Optional.of(false), wiring.lineRemoved("golden"));
        assertTrue(wiring.serves("default"));
    }

    @Test
    void unnamedOutputServesALineWhoseVerdictOvertakesItsServiceEvent() {
        assertTrue(new LineWiring(List.of()).serves("default"));
    }

    @Test
    void allStarBlankAndCommaSeparatedEntriesAreRead() {
        assertEquals(Set.of(), LineWiring.parse(List.of("all")));
        assertEquals(Set.of(), LineWiring.parse(List.of("*")));
        assertEquals(Set.of(), LineWiring.parse(List.of(" ", "")));
        assertEquals(Set.of("a", "b", "c"), LineWiring.parse(List.of("a, b", "c")));
        assertTrue(new LineWiring(List.of("ALL")).describe().startsWith("every line"));
    }
}
