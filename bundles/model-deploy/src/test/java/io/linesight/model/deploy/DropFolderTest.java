package io.linesight.model.deploy;

import static io.linesight.model.deploy.Fixture.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.deploy.StoredModel;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drop folder, polled every 200 ms by a real service. */
class DropFolderTest {

    @TempDir
    Path tmp;
    Fixture fx;
    Path drop;
    ModelDeploymentService service;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(tmp);
        drop = tmp.resolve("drop");
        service = fx.service(fx.settings(false, drop));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aZipIsTakenOnlyOnceItIsCompleteAndThenMovedToAccepted() throws Exception {
        byte[] zip = Files.readAllBytes(TestPackages.zip(fx.signed("1.0.0", 4), tmp.resolve("m.zip")));
        Path dropped = drop.resolve("m.zip");
        try (OutputStream out = Files.newOutputStream(dropped)) {
            out.write(Arrays.copyOf(zip, zip.length / 2));
            out.flush();
            Thread.sleep(300); // longer than one poll, the copy "stalls"
            assertTrue(Files.exists(dropped), "a file still being written is left alone");
            assertEquals(List.of(), service.stored());
            out.write(zip, zip.length / 2, zip.length - zip.length / 2);
        }
        Path accepted = drop.resolve("accepted/m.zip");
        Fixture.await("the zip is accepted", () -> Files.exists(accepted));
        assertFalse(Files.exists(dropped));
        assertEquals(List.of(NAME + "@1.0.0"), service.stored().stream().map(StoredModel::id).toList());
        try (var refused = Files.list(drop.resolve("refused"))) {
            assertEquals(0, refused.count());
        }
    }

    @Test
    void aRefusedZipMovesToRefusedWithItsReasonAndPartialFilesAreIgnored() throws Exception {
        TestPackages.zip(fx.unsigned("1.0.0", 4), drop.resolve("unsigned.zip"));
        Files.writeString(drop.resolve("coming.zip.part"), "half");
        Files.writeString(drop.resolve(".hidden.zip"), "x");
        Path reason = drop.resolve("refused/unsigned.zip.reason.txt");
        Fixture.await("the zip is refused", () -> Files.exists(reason));
        assertTrue(Files.exists(drop.resolve("refused/unsigned.zip")));
        String text = Files.readString(reason);
        assertTrue(text.startsWith("NOT_TRUSTED: ") && text.contains("is not signed"), text);
        assertTrue(Files.exists(drop.resolve("coming.zip.part")));
        assertTrue(Files.exists(drop.resolve(".hidden.zip")));
    }

    @Test
    void aSidecarActivatesTheDroppedPackageOnItsLines() throws Exception {
        TestLine line = fx.line(new TestLine("A"));
        service.bindLine(line);
        Files.writeString(drop.resolve("m.zip.activate"), "# after the night shift\nline=A\nline=B\nreason=new lighting\n");
        Path zip = TestPackages.zip(fx.signed("1.0.0", 4), tmp.resolve("m.zip"));
        Files.move(zip, drop.resolve("m.zip"));
        Path outcome = drop.resolve("accepted/m.zip.activation.txt");
        Fixture.await("the activation outcome is written", () -> Files.exists(outcome));
        List<String> lines = Files.readAllLines(outcome);
        assertEquals("line A: activated " + NAME + "@1.0.0", lines.get(0));
        assertTrue(lines.get(1).startsWith("line B: refused (NOT_FOUND): No line 'B'"), lines.get(1));
        assertEquals("1.0.0", line.model().orElseThrow().version());
        assertEquals("drop-folder", service.history("A").get(0).actor());
        assertEquals("new lighting", service.history("A").get(0).reason());
        assertTrue(Files.exists(drop.resolve("accepted/m.zip.activate")));
        Files.writeString(drop.resolve("n.zip.activate"), "lines=A\n");
        Files.write(drop.resolve("n.zip"), Files.readAllBytes(drop.resolve("accepted/m.zip")),
                StandardOpenOption.CREATE_NEW);
        Path reason = drop.resolve("refused/n.zip.reason.txt");
        Fixture.await("a malformed sidecar refuses its zip", () -> Files.exists(reason));
        assertTrue(Files.readString(reason).contains("unknown line 'lines=A'"));
    }

    @Test
    void refusedZipsAreDeletedWithTheirReasonAndSidecarOnceTheirRetentionIsOver() throws Exception {
        fx.stop(service);
        MutableClock clock = new MutableClock();
        service = fx.service(fx.retention(false, drop, 0, Duration.ofHours(24)), clock);
        Path acceptedZip = Files.createDirectories(drop.resolve("accepted")).resolve("kept.zip");
        Files.writeString(acceptedZip, "accepted packages are not the refusals' business");
        Files.writeString(drop.resolve("old.zip.activate"), "line=A\n");
        TestPackages.zip(fx.unsigned("1.0.0", 2), drop.resolve("old.zip"));
        Path oldReason = drop.resolve("refused/old.zip.reason.txt");
        Fixture.await("old.zip is refused", () -> Files.exists(oldReason));
        TestPackages.zip(fx.unsigned("1.0.1", 2), drop.resolve("new.zip"));
        Path newReason = drop.resolve("refused/new.zip.reason.txt");
        Fixture.await("new.zip is refused", () -> Files.exists(newReason));
        // old.zip was refused 30 h ago; its zip keeps the time it was copied, which must not matter
        Files.setLastModifiedTime(oldReason, FileTime.from(Instant.now().minus(Duration.ofHours(30))));
        Files.setLastModifiedTime(drop.resolve("refused/new.zip"), FileTime.from(Instant.now().minus(Duration.ofDays(9))));

        service.sweep();
        assertEquals(List.of("new.zip", "new.zip.reason.txt"), refusedFiles());
        clock.advance(Duration.ofHours(25));
        service.sweep();
        assertEquals(List.of(), refusedFiles());
        assertTrue(Files.exists(acceptedZip));
    }

    private List<String> refusedFiles() throws Exception {
        try (var files = Files.list(drop.resolve("refused"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
