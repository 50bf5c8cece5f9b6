package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime latency of whole .onnx files, for the model reports (models/defect-mobilenetv2/REPORT.md):
 * one session per file, a fixed random [1,3,120,160] float input, warm-up, then timed session.run calls.
 * Only session.run is timed: no preprocessing, no softmax.
 *
 * <p>Surefire skips *Benchmark classes by default, so a normal build never runs it. Run it alone on a
 * quiet machine:
 * <pre>
 * cd /work/main &amp;&amp; nice -n 19 mvn -B -q test -pl bundles/model-onnx -Dtest=PackageLatencyBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbench.models=/tmp/a.onnx,/tmp/b.onnx
 * </pre>
 * Properties: {@code bench.models} (comma-separated files; default the shipped defect-mobilenetv2 model),
 * {@code bench.runs} (timed runs per file, default 300), {@code bench.warmup} (default 20),
 * {@code bench.threads} (intra-op threads, default 2), {@code bench.rounds} (the timed runs are split into
 * this many rounds that take the files in turn, so a burst of load elsewhere hits every file alike;
 * default 3). Prints one line per file: {@code bench <file> median <ms> ms p95 <ms> ms runs <n>}.
 */
class PackageLatencyBenchmark {

    private static final long[] SHAPE = {1, 3, 120, 160};

    @Test
    void sessionRunLatencyPerFile() throws Exception {
        List<Path> files = models();
        int runs = Integer.getInteger("bench.runs", 300);
        int warmup = Integer.getInteger("bench.warmup", 20);
        int rounds = Integer.getInteger("bench.rounds", 3);
        SessionSettings settings = new SessionSettings(Integer.getInteger("bench.threads", 2),
                OrtSession.SessionOptions.OptLevel.ALL_OPT, OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        System.out.printf(Locale.ROOT, "ONNX Runtime %s, %d intra-op threads, %d processors, %d runs (%d rounds) after %d warm-up%n",
                environment.getVersion(), settings.intraOpThreads(), Runtime.getRuntime().availableProcessors(),
                runs, rounds, warmup);
        List<Timed> timed = new ArrayList<>();
        try (OnnxTensor input = OnnxTensor.createTensor(environment, randomInput(), SHAPE)) {
            try {
                for (Path file : files) {
                    timed.add(new Timed(file, open(environment, file, settings), runs));
                }
                for (Timed t : timed) {
                    t.run(input, warmup, false);
                }
                for (int round = 0; round < rounds; round++) {
                    int perRound = runs / rounds + (round < runs % rounds ? 1 : 0);
                    for (Timed t : timed) {
                        t.run(input, perRound, true);
                    }
                }
            } finally {
                for (Timed t : timed) {
                    t.session.close();
                }
            }
        }
        for (Timed t : timed) {
            System.out.println(t.summary());
        }
    }

    private static List<Path> models() {
        String list = System.getProperty("bench.models", "");
        List<Path> files = list.isBlank()
                ? List.of(GoldenSetParityTest.PACKAGE.resolve("model.onnx"))
                : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList();
        for (Path file : files) {
            assertTrue(Files.isRegularFile(file), "bench.models names a missing file: " + file);
        }
        return files;
    }

    private static OrtSession open(OrtEnvironment environment, Path file, SessionSettings settings) throws OrtException {
        try (OrtSession.SessionOptions options = settings.toOptions()) {
            return environment.createSession(file.toString(), options);
        }
    }

    /** Standard normal values from a fixed seed: every file sees the same input, run after run. */
    private static java.nio.FloatBuffer randomInput() {
        Random random = new Random(7);
        float[] values = new float[(int) (SHAPE[1] * SHAPE[2] * SHAPE[3])];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return java.nio.FloatBuffer.wrap(values);
    }

    /** One file's session and the milliseconds of its timed runs. */
    private static final class Timed {
        final Path file;
        final OrtSession session;
        final double[] millis;
        int count;

        Timed(Path file, OrtSession session, int runs) {
            this.file = file;
            this.session = session;
            this.millis = new double[runs];
        }

        void run(OnnxTensor input, int times, boolean record) throws OrtException {
            String name = session.getInputNames().iterator().next();
            for (int i = 0; i < times; i++) {
                long started = System.nanoTime();
                try (OrtSession.Result result = session.run(Map.of(name, input))) {
                    long elapsed = System.nanoTime() - started;
                    checkOutput(result);
                    if (record) {
                        millis[count++] = elapsed / 1e6;
                    }
                }
            }
        }

        /** A classifier answers [1, classes] finite logits; anything else means the timing is meaningless. */
        private void checkOutput(OrtSession.Result result) throws OrtException {
            Object value = result.get(0).getValue();
            assertTrue(value instanceof float[][] logits && logits.length == 1, file + " output is not [1, classes] float");
            for (float v : ((float[][]) value)[0]) {
                assertTrue(Float.isFinite(v), file + " gave a non-finite logit");
            }
        }

        String summary() {
            double[] sorted = Arrays.copyOf(millis, count);
            Arrays.sort(sorted);
            double median = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
            double p95 = sorted[Math.max(0, (int) Math.ceil(0.95 * count) - 1)];
            return String.format(Locale.ROOT, "bench %s median %.3f ms p95 %.3f ms runs %d", file, median, p95, count);
        }
    }
}
