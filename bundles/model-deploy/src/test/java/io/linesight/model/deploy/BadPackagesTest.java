package io.linesight.model.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.deploy.DeploymentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad packages of the lines issue that are properly signed, so that it is the model itself that must
 * be refused: corrupt bytes, a truncated file, an empty file, a card whose input shape or element type
 * disagrees with the model, a model that runs but answers NaN. Each is refused with a reason naming the
 * problem, and the line keeps the model it had (no installation is even attempted). The unsigned, wrongly
 * signed, below-gate, over-budget and path-escaping packages are in ModelDeploymentServiceTest,
 * PackageVerifierTest and PackageUnpackerTest.
 */
class BadPackagesTest {

    private static final int FEW = 4;

    @TempDir
    Path tmp;
    Fixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(tmp);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    interface Damage {
        void apply(Path pkg) throws Exception;
    }

    static Stream<Arguments> badModels() {
        return Stream.of(
                // Flipped weight bytes still parse: the model loads and answers NaN, which the gate catches.
                Arguments.of("corrupt bytes", (Damage) pkg -> rewriteModel(pkg, flipMiddle(Files.readAllBytes(pkg.resolve("model.onnx")))),
                        "re-export it"),
                Arguments.of("truncated file", (Damage) pkg -> rewriteModel(pkg,
                        Arrays.copyOf(Files.readAllBytes(pkg.resolve("model.onnx")), 100_000)), "cannot load"),
                Arguments.of("zero-length file", (Damage) pkg -> rewriteModel(pkg, new byte[0]), "model.onnx"),
                Arguments.of("wrong input shape in the card", (Damage) pkg ->
                        TestPackages.editCard(pkg, card -> card.getAsJsonObject("input").addProperty("height", 224)), "224"),
                Arguments.of("wrong element type in the card", (Damage) pkg ->
                        TestPackages.editCard(pkg, card -> card.getAsJsonObject("input").addProperty("dtype", "float16")), "is float32, the card says float16"),
                Arguments.of("NaN outputs", (Damage) pkg -> rewriteModel(pkg,
                        Files.readAllBytes(Path.of("src/test/resources/nan-classifier/model.onnx"))), "NaN"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badModels")
    void aSignedButBadModelIsRefusedAndTheLineKeepsItsModel(String what, Damage damage, String clue) throws Exception {
        ModelDeploymentService service = fx.service();
        TestLine line = fx.line(new TestLine("A"));
        service.bindLine(line);
        service.deploy(TestPackages.sign(fx.unsigned("1.0.0", FEW), "acme", fx.acme.getPrivate()), "tester");
        service.activate("A", Fixture.NAME, "1.0.0", "tester", "the good one");
        assertEquals("1.0.0", line.model().orElseThrow().version());
        int installs = line.installed.size();

        Path bad = fx.unsigned("2.0.0", FEW);
        damage.apply(bad);
        Path signed = TestPackages.sign(bad, "acme", fx.acme.getPrivate());
        DeploymentException refusal = assertThrows(DeploymentException.class, () -> {
            service.deploy(signed, "tester");
            service.activate("A", Fixture.NAME, "2.0.0", "tester", "a bad one: " + what);
        });
        assertTrue(refusal.getMessage().contains(clue), what + ": the reason names the problem: " + refusal.getMessage());
        assertEquals("1.0.0", line.model().orElseThrow().version(), what + ": the line keeps its model");
        assertEquals(installs, line.installed.size(), what + ": nothing was installed");
    }

    /** Replaces model.onnx and puts its digest into the card, so the digest check passes and the model is judged. */
    private static void rewriteModel(Path pkg, byte[] bytes) throws Exception {
        Files.write(pkg.resolve("model.onnx"), bytes);
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        TestPackages.editCard(pkg, card -> card.addProperty("sha256", digest));
    }

    private static byte[] flipMiddle(byte[] bytes) {
        for (int i = bytes.length / 3; i < bytes.length / 3 + 4096; i++) {
            bytes[i] = (byte) ~bytes[i];
        }
        return bytes;
    }
}
