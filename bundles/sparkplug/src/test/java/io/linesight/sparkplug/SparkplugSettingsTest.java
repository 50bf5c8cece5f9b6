package io.linesight.sparkplug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkplugSettingsTest {

    @TempDir
    Path dir;

    /** The configuration as SCR would give it: unset attributes keep their defaults. */
    static SparkplugConfig config(Map<String, ?> values) {
        return (SparkplugConfig) Proxy.newProxyInstance(SparkplugConfig.class.getClassLoader(),
                new Class<?>[] {SparkplugConfig.class}, (p, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return SparkplugConfig.class;
                    }
                    Object value = values.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
    }

    private SparkplugSettings settings(Map<String, ?> values) {
        return SparkplugSettings.from(config(values), key -> key.equals("linesight.data") ? dir.toString() : null);
    }

    private String refusal(Map<String, ?> values) {
        return assertThrows(IllegalArgumentException.class, () -> settings(values)).getMessage();
    }

    @Test
    void theShippedDefaultsMakeAWorkingNode() {
        SparkplugSettings s = settings(Map.of("edgeNodeId", "box1"));
        assertEquals(List.of("tcp://127.0.0.1:1883"), s.brokers());
        assertEquals("linesight-plant-box1", s.clientId());
        assertEquals(dir.resolve("sparkplug/journal.mv"), s.journalFile());
        assertEquals(256L * 1024 * 1024, s.journalMaxBytes());
        assertEquals(Duration.ofHours(168), s.journalMaxAge());
        assertEquals(Set.of(), s.commandsAllowed(), "commands are off by default");
        assertTrue(!s.everyVerdict() && !s.waitsForPrimaryHost());
    }

    @Test
    void brokersAreAListInFailoverOrder() {
        SparkplugSettings s = settings(Map.of("brokers", new String[] {"tcp://a:1883, ssl://b:8883", "tcp://c:1883"}));
        assertEquals(List.of("tcp://a:1883", "ssl://b:8883", "tcp://c:1883"), s.brokers());
    }

    @Test
    void badValuesAreRefusedNamingTheProperty() throws Exception {
        assertTrue(refusal(Map.of("brokers", new String[] {"mqtt://a:1883"})).contains("'brokers' = 'mqtt://a:1883'"
                + " must start with tcp:// or ssl://"));
        assertTrue(refusal(Map.of("brokers", new String[] {"tcp://a"})).contains("needs a host and a port"));
        assertTrue(refusal(Map.of("brokers", new String[] {" "})).contains("names no broker"));
        assertTrue(refusal(Map.of("groupId", "plant/a")).contains("'groupId'"));
        assertTrue(refusal(Map.of("edgeNodeId", "box#1")).contains("'edgeNodeId'"));
        assertTrue(refusal(Map.of("verdicts", "some")).contains("not one of: every, flagged"));
        assertTrue(refusal(Map.of("commands_allowed", new String[] {"resetCounters, reboot"}))
                .contains("'reboot' is not a command; known: resetCounters"));
        assertTrue(refusal(Map.of("tls_caFile", dir.resolve("missing.pem").toString())).contains("not a readable file"));
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        assertTrue(refusal(Map.of("tls_caFile", ca.toString())).contains("no broker is ssl://"));
        assertTrue(refusal(Map.of("journal_maxMegabytes", 0L)).contains("'journal.maxMegabytes'"));
    }

    @Test
    void commandsAllowedTakesNamesOrAll() {
        assertEquals(Set.of(Command.RESET_COUNTERS, Command.ACKNOWLEDGE_ALARM),
                settings(Map.of("commands_allowed", new String[] {"resetCounters,acknowledgeAlarm"})).commandsAllowed());
        assertEquals(Set.of(Command.values()), settings(Map.of("commands_allowed", new String[] {"all"}))
                .commandsAllowed());
    }
}
