package io.linesight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LauncherOptionsTest {

    private static final Path CWD = Path.of("/opt/linesight");

    @Test
    void defaultsAreRelativeToTheWorkingDirectory() throws UsageException {
        LauncherOptions options = LauncherOptions.parse(CWD);

        assertEquals(Path.of("/opt/linesight/config"), options.config());
        assertEquals(Path.of("/opt/linesight/var"), options.data());
        assertEquals(Path.of("/opt/linesight/deploy"), options.deploy());
        assertFalse(options.help());
    }

    @Test
    void acceptsSeparateAndEqualsValuesAndNormalisesThem() throws UsageException {
        LauncherOptions options = LauncherOptions.parse(CWD, "--config", "../etc/ls", "--data=/srv/ls/data",
                "--deploy", "drop/./in");

        assertEquals(Path.of("/opt/etc/ls"), options.config());
        assertEquals(Path.of("/srv/ls/data"), options.data());
        assertEquals(Path.of("/opt/linesight/drop/in"), options.deploy());
    }

    @Test
    void strictIsOffUnlessAsked() throws UsageException {
        assertFalse(LauncherOptions.parse(CWD).strict());
        assertTrue(LauncherOptions.parse(CWD, "--data", "x", "--strict").strict());
    }

    @Test
    void recognisesHelp() throws UsageException {
        assertTrue(LauncherOptions.parse(CWD, "--data", "x", "--help").help());
        assertTrue(LauncherOptions.parse(CWD, "-h").help());
    }

    @Test
    void rejectsUnknownOptionsAndStrayArguments() {
        assertEquals("Unknown option: --conifg", message("--conifg", "x"));
        assertEquals("Unexpected argument: config", message("config"));
    }

    @Test
    void rejectsMissingOrEmptyValues() {
        assertEquals("Option --data needs a folder", message("--data"));
        assertEquals("Option --data needs a folder", message("--data", "--deploy", "d"));
        assertEquals("Option --config needs a folder", message("--config="));
    }

    @Test
    void rejectsRepeatedOptionsAndCommas() {
        assertEquals("Option --deploy given twice", message("--deploy", "a", "--deploy=b"));
        assertEquals("Option --config: folder names must not contain ',' (a,b)", message("--config", "a,b"));
    }

    @Test
    void usageNamesEveryOption() {
        for (String option : new String[] {"--config", "--data", "--deploy", "--help"}) {
            assertTrue(LauncherOptions.USAGE.contains(option), option);
        }
    }

    private static String message(String... args) {
        return assertThrows(UsageException.class, () -> LauncherOptions.parse(CWD, args)).getMessage();
    }
}
