package io.linesight.line;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.ResultSink;
import io.linesight.api.inspection.ShadowFigures;
import io.linesight.api.inspection.StageLatencies;
import io.linesight.camera.sim.ConveyorCamera;
import io.linesight.camera.sim.ConveyorConfig;
import io.linesight.model.onnx.OnnxModelRuntime;
import io.linesight.model.onnx.OnnxRunnerConfig;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a shadow trial costs the line, a benchmark and not a test (surefire's default includes skip
 * {@code *Benchmark}): the real line, the shipped {@code defect-mobilenetv2} in ONNX Runtime with 1 intra-op thread as
 * the active model, the same package under another version as the same-size candidate, and the simulated conveyor
 * camera (320x240 BGR24) at a fixed rate. For each rate it measures four blocks in the order none, shadow, shadow,
 * none (so a machine that drifts in one direction over the run biases neither side) and reports per mode the active
 * capture-to-verdict latency and inference time (p50/p99), frames judged per second, OVERRUN drops, and the
 * shadow's frames judged/skipped and its inference p50/p95.
 *
 * <pre>
 * mvn -o -B -q test -pl bundles/line -Dtest=ShadowBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbenchmark.seconds=60
 * </pre>
 *
 * Properties: {@code benchmark.seconds} (default 30: seconds per block, so each mode gets twice that per rate),
 * {@code benchmark.rates} (default {@code 10,30} frames/s), {@code benchmark.warmupSeconds} (default 10: the line
 * alone, then with a shadow, before the first block of each rate).
 *
 * <p>Speed is reported against the goal (active p50 within 5 %, no OVERRUN added at 10 frames/s), never asserted.
 * What fails the run is a broken one: a line that stops judging, or a shadow trial that stops or judges nothing.
 */
class ShadowBenchmark {

    private static final Path SHIPPED = Path.of("../../models/defect-mobilenetv2").toAbsolutePath().normalize();
    private static final String CANDIDATE_VERSION = "0.2.0-shadow";
    /** Time for a freshly started or stopped trial to settle (warm-up frames, JIT, the slot) before a block. */
    private static final long SETTLE_MS = 3000;
    /** The goal of the issue, at the lowest rate measured. */
    private static final double GOAL_P50_RATIO = 1.05;

    @Test
    void shadowTrialCost(@TempDir Path dir) throws Exception {
        long seconds = Long.getLong("benchmark.seconds", 30);
        long warmupSeconds = Long.getLong("benchmark.warmupSeconds", 10);
        int[] rates = Arrays.stream(System.getProperty("benchmark.rates", "10,30").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        Path candidate = packageWithVersion(dir, CANDIDATE_VERSION);
        OnnxModelRuntime runtime = new OnnxModelRuntime(oneIntraOpThread());
        Machine before = Machine.now();
        List<Block> blocks = new ArrayList<>();
        for (int rate : rates) {
            blocks.addAll(new RateRun(rate, runtime, candidate).measure(seconds * 1000, warmupSeconds * 1000));
        }
        System.out.println(Report.of(blocks, rates, seconds, before, Machine.now()));
    }

    // ---- one rate: a line, its camera, four blocks ----------------------------------------------------

    /** One line at one frame rate, measured without and with a shadow trial. */
    private static final class RateRun {
        private final int rate;
        private final OnnxModelRuntime runtime;
        private final Path candidate;
        private final BlockSink sink = new BlockSink();
        private final InspectionLineComponent line = new InspectionLineComponent();

        RateRun(int rate, OnnxModelRuntime runtime, Path candidate) {
            this.rate = rate;
            this.runtime = runtime;
            this.candidate = candidate;
        }

        List<Block> measure(long blockMs, long warmupMs) throws Exception {
            ConveyorCamera camera = camera(rate);
            try {
                start(camera);
                warmUp(warmupMs);
                List<Block> blocks = new ArrayList<>();
                blocks.add(block(1, false, blockMs));
                startShadow();
                blocks.add(block(2, true, blockMs));
                blocks.add(block(3, true, blockMs));
                stopShadow();
                blocks.add(block(4, false, blockMs));
                return blocks;
            } finally {
                line.deactivate();
                camera.deactivate();
            }
        }

        private void start(ConveyorCamera camera) throws Exception {
            line.bindSink(sink, Map.of());
            line.bindCamera(camera);
            line.activate(new InspectionLineComponentTest.TestConfig("bench-" + rate, SHIPPED.toString(), 0.65, 0.35,
                    new String[0], "", 0));
            line.installModel(runtime.load(SHIPPED), "benchmark");
        }

        /** The line alone, then with a trial (JIT of both paths, ONNX Runtime's first runs), then alone again. */
        private void warmUp(long warmupMs) throws Exception {
            Thread.sleep(warmupMs);
            startShadow();
            Thread.sleep(warmupMs);
            stopShadow();
        }

        private void startShadow() throws Exception {
            line.startShadow(runtime.load(candidate), "benchmark");
            Thread.sleep(SETTLE_MS);
            assertTrue(line.shadow().orElseThrow().running(), "the trial stopped while settling: "
                    + line.shadow().orElseThrow().stopReason());
        }

        private void stopShadow() throws InterruptedException {
            assertTrue(line.stopShadow("benchmark block done").isPresent(), "the trial had stopped on its own: "
                    + line.shadow().map(ShadowFigures::stopReason).orElse("no trial"));
            Thread.sleep(SETTLE_MS);
        }

        private Block block(int index, boolean shadowed, long blockMs) throws InterruptedException {
            LineCounters countersBefore = line.status().counters();
            ShadowFigures shadowBefore = shadowed ? line.shadow().orElseThrow() : null;
            sink.begin();
            long t0 = System.nanoTime();
            Thread.sleep(blockMs);
            Samples samples = sink.end();
            double blockSeconds = (System.nanoTime() - t0) / 1e9;
            LineStatus after = line.status();
            Block block = new Block(rate, index, shadowed, blockSeconds, samples.stages(),
                    overruns(after.counters()) - overruns(countersBefore),
                    after.counters().dropped().get(DropCause.INFERENCE_ERROR), shadowed ? shadowFigures(shadowBefore)
                    : null);
            checkNotBroken(block, after);
            return block;
        }

        /** The trial's frames over this block (its counts are cumulative) and its latency figures at the end. */
        private ShadowBlock shadowFigures(ShadowFigures before) {
            ShadowFigures now = line.shadow().orElseThrow();
            assertTrue(now.running(), "the shadow trial stopped during the block: " + now.stopReason());
            return new ShadowBlock(now.framesJudged() - before.framesJudged(),
                    now.framesSkipped() - before.framesSkipped(), now.candidateLatencyP50Ms(),
                    now.candidateLatencyP95Ms());
        }

        /** A broken run fails; a slow one is reported. */
        private void checkNotBroken(Block block, LineStatus after) {
            assertEquals(LineState.RUNNING, after.state(), after.stateDetail());
            assertEquals(0, block.inferenceErrors(), "inference errors: " + after.counters());
            assertTrue(block.frames() >= block.rate() * block.seconds() / 2, "the line stopped judging: "
                    + block.frames() + " frames in " + block.seconds() + " s at " + block.rate() + " frames/s");
            if (block.shadow() != null) {
                assertTrue(block.shadow().judged() >= block.frames() / 2, "the shadow stopped judging: "
                        + block.shadow() + " while the line judged " + block.frames());
            }
        }

        private static long overruns(LineCounters counters) {
            return counters.dropped().get(DropCause.OVERRUN);
        }
    }

    // ---- what is recorded ---------------------------------------------------------------------------------

    /** Collects the active latencies of every published verdict while a block runs (the inference thread adds). */
    private static final class BlockSink implements ResultSink {
        private volatile Samples current;

        @Override
        public void publish(InspectionEvent event, LineStatus status) {
            Samples samples = current;
            if (samples != null) {
                samples.add(event.latencies());
            }
        }

        void begin() {
            current = new Samples();
        }

        Samples end() {
            Samples samples = current;
            current = null;
            return samples;
        }
    }

    /** The stage latencies of every frame judged during a block (the line made them for its event anyway). */
    private static final class Samples {
        private final List<StageLatencies> stages = new ArrayList<>();

        synchronized void add(StageLatencies latencies) {
            stages.add(latencies);
        }

        synchronized List<StageLatencies> stages() {
            return List.copyOf(stages);
        }
    }

    /** The shadow's figures over one block: frames judged and skipped, the candidate's inference p50/p95. */
    private record ShadowBlock(long judged, long skipped, double candidateP50Ms, double candidateP95Ms) {
    }

    /** One measured block; {@code shadow} is null without a trial. */
    private record Block(int rate, int index, boolean shadowed, double seconds, List<StageLatencies> stages,
                         long overruns, long inferenceErrors, ShadowBlock shadow) {
        int frames() {
            return stages.size();
        }

        long[] totalNanos() {
            return stage(StageLatencies::totalNanos);
        }

        long[] inferenceNanos() {
            return stage(StageLatencies::inferenceNanos);
        }

        long[] stage(ToLongFunction<StageLatencies> which) {
            return stages.stream().mapToLong(which).toArray();
        }
    }

    // ---- the report -----------------------------------------------------------------------------------------

    /** The printed figures: a table per mode (blocks pooled), a table per block, ratios, the verdict on the goal. */
    private static final class Report {
        private final StringBuilder out = new StringBuilder();

        static String of(List<Block> blocks, int[] rates, long seconds, Machine before, Machine after) {
            Report report = new Report();
            report.line("=== Shadow trial cost: defect-mobilenetv2 0.2.0 active, " + CANDIDATE_VERSION
                    + " (same file) as candidate, 1 intra-op thread each, conveyor camera 320x240 BGR24 ===");
            report.line(String.format(Locale.ROOT, "per rate four blocks of %d s: none, shadow, shadow, none (each mode"
                    + " pooled over its two blocks)", seconds));
            report.line("");
            report.modes(blocks, rates);
            report.line("");
            report.blocks(blocks);
            report.line("");
            for (int rate : rates) {
                report.ratios(blocks, rate);
            }
            report.verdict(blocks, rates[0]);
            report.line(before.describe(after));
            return report.out.toString();
        }

        private void modes(List<Block> blocks, int[] rates) {
            header("rate | mode");
            for (int rate : rates) {
                for (boolean shadowed : new boolean[] {false, true}) {
                    row(rate + " frames/s | " + mode(shadowed), pooled(blocks, rate, shadowed));
                }
            }
        }

        private void blocks(List<Block> blocks) {
            header("rate | block");
            for (Block b : blocks) {
                row(b.rate() + " frames/s | " + b.index() + " " + mode(b.shadowed()), List.of(b));
            }
        }

        private void header(String first) {
            line("| " + first + " | frames | fps | total p50 ms | total p99 ms | inference p50 ms | inference p99 ms"
                    + " | OVERRUN | shadow judged / skipped | shadow infer() p50 / p95 ms |");
            line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        }

        private void row(String first, List<Block> pool) {
            long[] totals = sorted(pool, Block::totalNanos);
            long[] inferences = sorted(pool, Block::inferenceNanos);
            double seconds = pool.stream().mapToDouble(Block::seconds).sum();
            line(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %s | %s |", first,
                    totals.length, totals.length / seconds, ms(pct(totals, 50)), ms(pct(totals, 99)),
                    ms(pct(inferences, 50)), ms(pct(inferences, 99)), pool.stream().mapToLong(Block::overruns).sum(),
                    shadowCounts(pool), shadowLatency(pool)));
        }

        private void ratios(List<Block> blocks, int rate) {
            long[][] none = {sorted(pooled(blocks, rate, false), Block::totalNanos),
                    sorted(pooled(blocks, rate, false), Block::inferenceNanos)};
            long[][] shadow = {sorted(pooled(blocks, rate, true), Block::totalNanos),
                    sorted(pooled(blocks, rate, true), Block::inferenceNanos)};
            line(String.format(Locale.ROOT, "%d frames/s, shadow / none: total p50 %.3f, p99 %.3f; inference p50 %.3f,"
                            + " p99 %.3f; fps %.3f", rate, ratio(shadow[0], none[0], 50), ratio(shadow[0], none[0], 99),
                    ratio(shadow[1], none[1], 50), ratio(shadow[1], none[1], 99),
                    fps(pooled(blocks, rate, true)) / fps(pooled(blocks, rate, false))));
            stages(blocks, rate);
        }

        /** Where the capture-to-verdict time goes, p50 none -> shadow per stage. */
        private void stages(List<Block> blocks, int rate) {
            StringBuilder text = new StringBuilder("  stage p50 ms, none -> shadow:");
            Map<String, ToLongFunction<StageLatencies>> stages = new java.util.LinkedHashMap<>();
            stages.put("queue (capture stamp, render, hand-over)", StageLatencies::queueNanos);
            stages.put("preprocess", StageLatencies::preprocessNanos);
            stages.put("inference", StageLatencies::inferenceNanos);
            stages.put("postprocess", StageLatencies::postprocessNanos);
            stages.put("decision", StageLatencies::decisionNanos);
            stages.forEach((name, stage) -> text.append(String.format(Locale.ROOT, " %s %.3f -> %.3f;", name,
                    ms(pct(sorted(pooled(blocks, rate, false), b -> b.stage(stage)), 50)),
                    ms(pct(sorted(pooled(blocks, rate, true), b -> b.stage(stage)), 50)))));
            line(text.substring(0, text.length() - 1));
        }

        private void verdict(List<Block> blocks, int rate) {
            double p50 = ratio(sorted(pooled(blocks, rate, true), Block::totalNanos),
                    sorted(pooled(blocks, rate, false), Block::totalNanos), 50);
            long overrunsNone = pooled(blocks, rate, false).stream().mapToLong(Block::overruns).sum();
            long overrunsShadow = pooled(blocks, rate, true).stream().mapToLong(Block::overruns).sum();
            boolean met = p50 <= GOAL_P50_RATIO && overrunsShadow <= overrunsNone;
            line(String.format(Locale.ROOT, "Goal at %d frames/s (active p50 within 5 %%, no OVERRUN added): %s"
                            + " (p50 shadow/none %.3f, OVERRUN none %d / shadow %d)", rate, met ? "MET" : "NOT MET",
                    p50, overrunsNone, overrunsShadow));
        }

        private static String shadowCounts(List<Block> pool) {
            if (pool.stream().anyMatch(b -> b.shadow() == null)) {
                return "-";
            }
            return pool.stream().mapToLong(b -> b.shadow().judged()).sum() + " / "
                    + pool.stream().mapToLong(b -> b.shadow().skipped()).sum();
        }

        /** The trial keeps the last 256 frames: per block its figures at the end, pooled the worse of the blocks. */
        private static String shadowLatency(List<Block> pool) {
            if (pool.stream().anyMatch(b -> b.shadow() == null)) {
                return "-";
            }
            return String.format(Locale.ROOT, "%.2f / %.2f",
                    pool.stream().mapToDouble(b -> b.shadow().candidateP50Ms()).max().orElseThrow(),
                    pool.stream().mapToDouble(b -> b.shadow().candidateP95Ms()).max().orElseThrow());
        }

        private static List<Block> pooled(List<Block> blocks, int rate, boolean shadowed) {
            return blocks.stream().filter(b -> b.rate() == rate && b.shadowed() == shadowed).toList();
        }

        private static double fps(List<Block> pool) {
            return pool.stream().mapToInt(Block::frames).sum() / pool.stream().mapToDouble(Block::seconds).sum();
        }

        private static long[] sorted(List<Block> pool, java.util.function.Function<Block, long[]> values) {
            return pool.stream().flatMapToLong(b -> Arrays.stream(values.apply(b))).sorted().toArray();
        }

        private static double ratio(long[] shadow, long[] none, double percentile) {
            return (double) pct(shadow, percentile) / pct(none, percentile);
        }

        private static String mode(boolean shadowed) {
            return shadowed ? "shadow" : "none";
        }

        private void line(String text) {
            out.append(text).append('\n');
        }
    }

    /** Nearest rank. */
    private static long pct(long[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** The machine and JVM the figures come from: cores, load, collections over the run. */
    private record Machine(double load, long collections, long collectionMs) {
        static Machine now() {
            long count = 0;
            long millis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                count += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
            return new Machine(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), count, millis);
        }

        String describe(Machine after) {
            Runtime rt = Runtime.getRuntime();
            return String.format(Locale.ROOT, "machine: %d cores, load average %.2f before / %.2f after, %s %s, %s %s,"
                            + " heap %d MB, GC over the run: %d collections, %d ms", rt.availableProcessors(), load,
                    after.load, System.getProperty("java.vm.name"), System.getProperty("java.version"),
                    System.getProperty("os.name"), System.getProperty("os.version"), rt.maxMemory() >> 20,
                    after.collections - collections, after.collectionMs - collectionMs);
        }
    }

    // ---- the pieces -----------------------------------------------------------------------------------------

    /** The shipped package under another version: the same ONNX file, so a candidate of exactly the same size. */
    private static Path packageWithVersion(Path dir, String version) throws IOException {
        Path target = Files.createDirectories(dir.resolve("pkg-" + version));
        Files.copy(SHIPPED.resolve("model.onnx"), target.resolve("model.onnx"));
        Files.writeString(target.resolve("model.json"), Files.readString(SHIPPED.resolve("model.json"))
                .replace("\"version\": \"0.2.0\"", "\"version\": \"" + version + "\""));
        return target;
    }

    private static ConveyorCamera camera(double partsPerSecond) {
        return new ConveyorCamera(new ConveyorConfig() {
            public Class<? extends Annotation> annotationType() { return ConveyorConfig.class; }
            public String source_id() { return "sim"; }
            public int widthPx() { return 320; }
            public int heightPx() { return 240; }
            public double partsPerSecond() { return partsPerSecond; }
            public double defectRate() { return 0.1; }
            public long seed() { return 42; }
        });
    }

    /** The shipped runner settings with 1 intra-op thread: two models on two cores, one each. */
    private static OnnxRunnerConfig oneIntraOpThread() {
        return new OnnxRunnerConfig() {
            public Class<? extends Annotation> annotationType() { return OnnxRunnerConfig.class; }
            public int intraOpThreads() { return 1; }
            public String optimizationLevel() { return "ALL_OPT"; }
            public String executionMode() { return "SEQUENTIAL"; }
            public int preprocessThreads() { return 1; }
            public boolean intraOpSpinning() { return true; }
            public boolean stopSpinningAfterRun() { return false; }
        };
    }
}
