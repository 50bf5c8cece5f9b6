package io.linesight.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PSI and the two-sample KS statistic against numpy and scipy themselves (src/test/python/drift_references.py, run
 * with Debian's python3-scipy, installed by scripts/ensure-test-tools.sh): confidences of a stable model, of one that
 * lost confidence, a second mode, values on bin edges and ends, ties, an empty bin, small samples and values outside
 * the range. Agreement to 1e-9.
 */
class DriftParityTest {

    private static final double TOLERANCE = 1e-9;

    record Case(String name, double[] reference, double[] current, double psi, double ks) {
    }

    private static List<Case> cases;

    @BeforeAll
    static void makeReferences() throws Exception {
        run(List.of("bash", "../../scripts/ensure-test-tools.sh", "scipy"));
        Path out = Files.createDirectories(Path.of("target", "drift-references"));
        run(List.of("/usr/bin/python3", "src/test/python/drift_references.py", out.toString()));
        cases = parse(Files.readAllLines(out.resolve("cases.txt")));
        assertEquals(8, cases.size(), "cases written by the reference script");
    }

    @Test
    void psiMatchesNumpy() {
        for (Case c : cases) {
            double psi = PopulationStability.of(c.reference(), c.current(), 10, 0.0, 1.0);
            assertEquals(c.psi(), psi, TOLERANCE, c.name());
        }
    }

    @Test
    void ksStatisticMatchesScipy() {
        for (Case c : cases) {
            assertEquals(c.ks(), KolmogorovSmirnov.statistic(c.reference(), c.current()), TOLERANCE, c.name());
        }
    }

    @Test
    void theReferencesTellTheCasesApart() {
        Case same = cases.get(0);
        Case dropped = cases.get(1);
        assertTrue(same.psi() < 0.1 && dropped.psi() >= 0.25, "stable " + same.psi() + ", dropped " + dropped.psi());
        assertTrue(same.ks() < dropped.ks(), "KS " + same.ks() + " against " + dropped.ks());
    }

    private static List<Case> parse(List<String> lines) {
        List<Case> parsed = new ArrayList<>();
        for (int i = 0; i + 4 < lines.size(); i += 5) {
            parsed.add(new Case(lines.get(i), numbers(lines.get(i + 1)), numbers(lines.get(i + 2)),
                    Double.parseDouble(lines.get(i + 3).substring(4)), Double.parseDouble(lines.get(i + 4).substring(3))));
        }
        return parsed;
    }

    private static double[] numbers(String line) {
        return Arrays.stream(line.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, p.exitValue(), command + " failed: " + output);
    }
}
