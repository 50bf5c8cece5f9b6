package io.linesight.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.inspection.LineStatus;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class LineTableTest {

    @Test
    void oneAlignedRowPerLineWithNumbersRightAligned() {
        String expected = """
                LINE     STATE    CAMERA             MODEL                     FPS  PASS  REJECT  REVIEW  DROPPED  P50 MS
                default  RUNNING  cam-1 (STREAMING)  defect-mobilenetv2:0.1.0  9.8   120      11       2        0    23.1
                line-2   FAULT    cam-2 (LOST)       -                           -     5       0       0     1241       -""";

        String table = LineTable.format(List.of(Statuses.running("default"), Statuses.faulted("line-2")));

        assertEquals(expected, table);
    }

    @Test
    void noLinesSaysSoAndNamesTheFactoryPid() {
        String text = LineTable.format(List.of());

        assertTrue(text.startsWith("No line is configured."), text);
        assertTrue(text.contains("factory PID io.linesight.line"), text);
        assertTrue(text.contains("config/io.linesight.line-default.cfg"), text);
        assertEquals(1, text.lines().count(), "one line");
    }

    @Test
    void decimalsUseADotWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            String table = LineTable.format(List.of(Statuses.running("default")));
            assertTrue(table.contains(" 9.8 ") && table.endsWith("23.1"), table);
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void missingPartsOfASnapshotPrintAsDashes() {
        LineStatus sparse = new LineStatus("bare", null, null, null, null, null, null, 0, 0, 0, null, null);

        String row = LineTable.format(List.of(sparse)).lines().skip(1).findFirst().orElseThrow();

        assertEquals(List.of("bare", "-", "- (-)", "-", "0.0", "-", "-", "-", "-", "0.0"),
                List.of(row.trim().split("\\s{2,}")));
    }
}
