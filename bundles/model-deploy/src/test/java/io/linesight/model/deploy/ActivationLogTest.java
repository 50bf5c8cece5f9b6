package io.linesight.model.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.GateReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationLogTest {

    @TempDir
    Path dir;

    private static Activation entry(String line, String model) {
        GateReport gate = new GateReport(true, "accuracy", 1.0, 0.95, 12, 2.5, 100, "ok");
        return new Activation(0, Instant.parse("2026-11-22T08:00:00Z"), line, model, "abc", null, "activate",
                "console", "why", gate);
    }

    @Test
    void entriesAreNumberedAndSurviveANewLog() throws Exception {
        ActivationLog log = new ActivationLog(dir);
        log.append(entry("line 1/a", "m@1"));
        log.append(entry("line 1/a", "m@2"));
        List<Activation> read = new ActivationLog(dir).read("line 1/a");
        assertEquals(2, read.size());
        assertEquals(2, read.get(1).sequence());
        assertEquals(entry("line 1/a", "m@2").gate(), read.get(1).gate());
        assertEquals("why", read.get(1).reason());
        assertNull(read.get(1).previous());
        assertEquals(List.of(dir.resolve("line+1%2Fa.jsonl")), Files.list(dir).toList());
    }

    @Test
    void aTornLastLineIsSkippedAndTheNextEntryStartsOnItsOwnLine() throws Exception {
        new ActivationLog(dir).append(entry("l", "m@1"));
        Files.writeString(dir.resolve("l.jsonl"), "{\"sequence\":2,\"time\":\"2026-", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        ActivationLog reopened = new ActivationLog(dir);
        assertEquals(1, reopened.read("l").size());
        Activation next = reopened.append(entry("l", "m@3"));
        assertEquals(2, next.sequence());
        List<Activation> again = new ActivationLog(dir).read("l");
        assertEquals(List.of("m@1", "m@3"), again.stream().map(Activation::model).toList());
    }
}
