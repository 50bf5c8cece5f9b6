package io.linesight.benchmarks;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.transform.CenterCrop;
import ai.djl.modality.cv.transform.Normalize;
import ai.djl.modality.cv.transform.Resize;
import ai.djl.modality.cv.transform.ResizeShort;
import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.modality.cv.translator.ImageClassificationTranslator;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceResult;
import io.linesight.model.onnx.OnnxModel;
import io.linesight.model.onnx.OnnxModelRuntime;
import io.linesight.model.onnx.OnnxRunnerConfig;
import io.linesight.model.onnx.OverlappedInference;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Raw ONNX Runtime, the LineSight runner and DJL on the same model, the same 1280x720 BGR frame and the
 * same session settings (2 intra-op threads unless {@code --threads}, all graph optimisations, sequential
 * execution), in one run:
 *
 * <ul>
 *   <li><b>raw</b>: {@code session.run} on an input tensor prepared beforehand (the floor);</li>
 *   <li><b>runner</b>: {@code LoadedModel.infer(frame)}: preprocess + run + post-process (softmax/top-k, or
 *       decode + NMS + mapping boxes back);</li>
 *   <li><b>overlapped</b>: the runner with frame N+1 preprocessed while frame N runs
 *       ({@link OverlappedInference}), as sustained images/s, with intra-op threads = cores - 1 (at least 1) so
 *       that the preprocessing has a core of its own, against raw with the same threads (with 2 intra-op threads
 *       on 2 cores ONNX Runtime's threads fill both cores and the stager can only take time from them);</li>
 *   <li><b>DJL</b> (classifiers): DJL's ONNX Runtime engine with its ImageClassificationTranslator doing
 *       the card's recipe (ResizeShort/Resize, CenterCrop, ToTensor, Normalize, softmax); the frame is
 *       handed over as a DJL Image, not timed.</li>
 * </ul>
 *
 * The variants are measured in interleaved rounds so that a change in machine load hits all of them.
 * Prints medians, p95, images/s and the ratios to raw, each line saying which intra-op threads it used, and the
 * card's preprocessing recipe. Usage: {@code benchmarks/run.sh [--frames N] [--rounds R] [--threads T]
 * PACKAGE...}.
 */
public final class RunnerBenchmark {

    private static final int FRAME_WIDTH = 1280;
    private static final int FRAME_HEIGHT = 720;
    private static final int WARM_UP_FRAMES = 300;
    /** ONNX Runtime's intra-op spinning, for the raw session and the runner alike ({@code -Dbench.spinning}). */
    private static final boolean SPINNING = Boolean.parseBoolean(System.getProperty("bench.spinning", "true"));
    /** The runner's settings: its defaults unless {@code -Dbench.stopSpinning} / {@code -Dbench.preprocessThreads}. */
    private static final boolean STOP_SPINNING = Boolean.getBoolean("bench.stopSpinning");
    private static final int PREPROCESS_THREADS = Integer.getInteger("bench.preprocessThreads", 1);

    private final int framesPerRound;
    private final int rounds;
    /** Intra-op threads of the per-frame figures (raw, runner, the other runner settings, DJL): {@code --threads}. */
    private final int threads;
    /** Intra-op threads of the overlapped figure and of the raw it is compared with: cores - 1, at least 1. */
    private final int overlapThreads;

    private RunnerBenchmark(int framesPerRound, int rounds, int threads, int overlapThreads) {
        this.framesPerRound = framesPerRound;
        this.rounds = rounds;
        this.threads = threads;
        this.overlapThreads = overlapThreads;
    }

    public static void main(String[] args) throws Exception {
        int frames = 100;
        int rounds = 5;
        int threads = 2;
        List<Path> packages = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--frames" -> frames = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> packages.add(Path.of(args[i]));
            }
        }
        if (packages.isEmpty()) {
            System.err.println("usage: RunnerBenchmark [--frames N] [--rounds R] [--threads T] PACKAGE...");
            System.exit(2);
        }
        // DJL creates the process's one OrtEnvironment itself (with its own threading options) and fails if
        // one exists already; the runner and the raw session then share that environment. Sessions keep
        // their own intra-op pools either way.
        ai.djl.engine.Engine.getEngine("OnnxRuntime");
        int cores = Runtime.getRuntime().availableProcessors();
        int overlapThreads = Math.max(1, cores - 1);
        System.out.printf(Locale.ROOT, "LineSight runner benchmark: %d cores, %s %s, ONNX Runtime %s, %d intra-op threads"
                        + " (spinning %s, runner stops it after each run: %s), runner preprocessing on %d thread(s), %d rounds x %d frames, load average at start %.2f%n",
                cores, System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), OrtEnvironment.getEnvironment().getVersion(), threads, SPINNING ? "on" : "off", STOP_SPINNING,
                PREPROCESS_THREADS, rounds,
                frames, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "Intra-op threads: per-frame figures (raw, runner, runner/raw, DJL) %d (--threads);"
                + " overlapped %d (cores - 1: a core left for the preprocessing), against raw with %d%n",
                threads, overlapThreads, overlapThreads);
        RunnerBenchmark benchmark = new RunnerBenchmark(frames, rounds, threads, overlapThreads);
        for (Path dir : packages) {
            benchmark.measure(dir);
        }
    }

    private void measure(Path dir) throws Exception {
        JsonObject card = JsonParser.parseString(Files.readString(dir.resolve("model.json"))).getAsJsonObject();
        boolean detector = "detect".equals(card.get("task").getAsString());
        Frame frame = cameraFrame(dir);
        OnnxModelRuntime runtime = new OnnxModelRuntime(settings(threads, STOP_SPINNING, PREPROCESS_THREADS));
        // The same runner with the other way to use two cores: ONNX Runtime's threads stop spinning when a run
        // returns, so the frame's rows can be shared between the inference thread and a helper.
        OnnxModelRuntime other = new OnnxModelRuntime(STOP_SPINNING ? settings(threads, false, 1) : settings(threads, true, 2));
        // Overlapped: a core left for the staging thread (intra-op threads = cores - 1), compared with raw on as many.
        boolean ownOverlap = overlapThreads != threads;
        OnnxModelRuntime overlapRuntime = new OnnxModelRuntime(settings(overlapThreads, STOP_SPINNING, 1));
        Path modelFile = dir.resolve(card.get("file").getAsString());
        try (OnnxModel model = (OnnxModel) runtime.load(dir);
             OnnxModel otherSettings = (OnnxModel) other.load(dir);
             OnnxModel overlapOwn = ownOverlap ? (OnnxModel) overlapRuntime.load(dir) : null;
             OrtSession.SessionOptions options = rawOptions(threads);
             OrtSession session = OrtEnvironment.getEnvironment().createSession(modelFile.toString(), options);
             OrtSession.SessionOptions overlapOptions = rawOptions(overlapThreads);
             OrtSession overlapSessionOwn = ownOverlap
                     ? OrtEnvironment.getEnvironment().createSession(modelFile.toString(), overlapOptions) : null;
             DjlClassifier djl = detector ? null : new DjlClassifier(dir, card, threads)) {
            OnnxModel overlapModel = ownOverlap ? overlapOwn : model;
            OrtSession overlapSession = ownOverlap ? overlapSessionOwn : session;
            String inputName = session.getInputNames().iterator().next();
            long[] shape = {1, 3, inputSide(card, detector, "height"), inputSide(card, detector, "width")};
            float[] input = rawInput(shape);
            InferenceResult sample = model.infer(frame);
            String what = detector ? ((Detections) sample).objects().size() + " boxes per frame"
                    : "top-1 " + ((Classification) sample).best().label();
            System.out.printf(Locale.ROOT, "%n%s %s (%s, input %dx%d, %s), frame %dx%d BGR24%n", card.get("name").getAsString(),
                    card.get("version").getAsString(), detector ? "detector" : "classifier", shape[3], shape[2],
                    model.info().displayName(), FRAME_WIDTH, FRAME_HEIGHT);
            System.out.println("  preprocessing: " + recipe(card, detector) + " (" + dir.getFileName() + ")");
            System.out.println("  " + what);

            Samples raw = new Samples();
            Samples overlapRaw = ownOverlap ? new Samples() : raw;
            RunnerTimes runner = new RunnerTimes();
            RunnerTimes otherTimes = new RunnerTimes();
            Samples djlSamples = new Samples();
            Samples openCv = new Samples();
            double overlappedImagesPerSecond = 0;
            String outputName = session.getOutputNames().iterator().next();
            TensorInfo outputInfo = (TensorInfo) session.getOutputInfo().get(outputName).getInfo();
            long[] outputShape = outputInfo.getShape().clone();
            long outputElements = 1;
            for (int i = 0; i < outputShape.length; i++) {
                outputShape[i] = Math.max(1, outputShape[i]); // a dynamic batch axis: one image
                outputElements *= outputShape[i];
            }
            FloatBuffer outputMemory = ByteBuffer.allocateDirect(4 * (int) outputElements)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
            Samples rawRead = new Samples();
            try (OnnxTensor tensor = rawTensor(session, inputName, input, shape);
                 OnnxTensor written = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), outputMemory, outputShape);
                 OverlappedInference overlapped = new OverlappedInference(overlapModel);
                 OpenCvPreprocessing cv = new OpenCvPreprocessing(card)) {
                Map<String, OnnxTensor> feeds = Map.of(inputName, tensor);
                for (int i = 0; i < 30; i++) {
                    cv.apply(frame);
                }
                warmUp(session, feeds, model, frame, djl);
                warmUp(session, feeds, otherSettings, frame, null);
                if (ownOverlap) {
                    warmUp(overlapSession, feeds, overlapModel, frame, null);
                }
                List<Double> overlappedRates = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    timeRaw(session, feeds, raw);
                    for (int i = 0; i < framesPerRound; i++) {
                        long t0 = System.nanoTime();
                        session.run(feeds, Map.of(outputName, written)).close();
                        touched += touchEveryCacheLine(outputMemory);
                        rawRead.add(System.nanoTime() - t0);
                    }
                    for (int i = 0; i < framesPerRound; i++) {
                        runner.time(model, frame);
                    }
                    for (int i = 0; i < framesPerRound; i++) {
                        otherTimes.time(otherSettings, frame);
                    }
                    if (ownOverlap) {
                        timeRaw(overlapSession, feeds, overlapRaw);
                    }
                    overlappedRates.add(overlappedRate(overlapped, frame));
                    for (int i = 0; i < framesPerRound; i++) {
                        long t0 = System.nanoTime();
                        cv.apply(frame);
                        openCv.add(System.nanoTime() - t0);
                    }
                    if (djl != null) {
                        for (int i = 0; i < framesPerRound; i++) {
                            long t0 = System.nanoTime();
                            djl.predict();
                            djlSamples.add(System.nanoTime() - t0);
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "  %-34s median %7.3f ms (the output, %d floats, brought to the reading core: %+.3f ms)%n",
                        "raw session.run + read its output", rawRead.median(), outputMemory.capacity(), rawRead.median() - raw.median());
                overlappedImagesPerSecond = overlappedRates.stream().sorted().toList().get(overlappedRates.size() / 2);
                report(raw, runner, otherTimes, overlapRaw, overlappedImagesPerSecond, djl == null ? null : djlSamples);
                System.out.printf(Locale.ROOT, "  %-34s median %7.3f ms (runner's Java pass: %.3f ms)%n",
                        "OpenCV preprocess (native)", openCv.median(), runner.pre.median());
                if (!detector) {
                    GoldenParity.report(dir, model, session, inputName, shape, cv);
                }
            }
        }
    }

    /** {@code framesPerRound} runs of {@code session} on the prepared input, each into {@code samples}. */
    private void timeRaw(OrtSession session, Map<String, OnnxTensor> feeds, Samples samples) throws Exception {
        for (int i = 0; i < framesPerRound; i++) {
            long t0 = System.nanoTime();
            session.run(feeds).close();
            samples.add(System.nanoTime() - t0);
        }
    }

    /** The card's preprocessing in a line: recipe, resize (or letterbox) and crop, as the runner reads them. */
    private static String recipe(JsonObject card, boolean detector) {
        JsonObject pre = card.getAsJsonObject("preprocessing");
        String recipe = pre.has("recipe") ? "recipe " + pre.get("recipe").getAsString() : "no recipe (the task's default)";
        StringBuilder line = new StringBuilder(recipe);
        JsonObject step = pre.getAsJsonObject(detector ? "letterbox" : "resize");
        if (detector) {
            line.append(", letterbox ").append(step.get("width").getAsInt()).append('x').append(step.get("height").getAsInt());
        } else if ("shorter".equals(step.get("mode").getAsString())) {
            line.append(", resize shorter side ").append(step.get("size").getAsInt());
        } else {
            line.append(", resize ").append(step.get("width").getAsInt()).append('x').append(step.get("height").getAsInt());
        }
        line.append(' ').append(step.has("interpolation") ? step.get("interpolation").getAsString() : "bilinear");
        if (step.has("antialias")) {
            line.append(step.get("antialias").getAsBoolean() ? " antialias" : " no antialias");
        }
        if (step.has("input")) {
            line.append(" on ").append(step.get("input").getAsString());
        }
        if (pre.has("centerCrop") && pre.get("centerCrop").isJsonObject()) {
            JsonObject crop = pre.getAsJsonObject("centerCrop");
            line.append(", centre crop ").append(crop.get("width").getAsInt()).append('x').append(crop.get("height").getAsInt());
        }
        return line.toString();
    }

    private void warmUp(OrtSession session, Map<String, OnnxTensor> feeds, OnnxModel model, Frame frame,
                        DjlClassifier djl) throws Exception {
        // Long enough for the JIT to compile the runner's loops (decode and NMS run interpreted for the first
        // few hundred frames); a line reaches that state within its first minute.
        for (int i = 0; i < WARM_UP_FRAMES; i++) {
            session.run(feeds).close();
            model.infer(frame);
            if (djl != null) {
                djl.predict();
            }
        }
    }

    private double overlappedRate(OverlappedInference overlapped, Frame frame) throws Exception {
        int[] left = {framesPerRound};
        long t0 = System.nanoTime();
        long judged = overlapped.run(() -> left[0]-- > 0 ? frame : null, result -> { });
        return judged / ((System.nanoTime() - t0) / 1e9);
    }

    private void report(Samples raw, RunnerTimes runnerTimes, RunnerTimes other, Samples overlapRaw, double overlapped,
                        Samples djl) {
        Samples runner = runnerTimes.total;
        double rawMedian = raw.median();
        String t = threadsLabel(threads);
        System.out.printf(Locale.ROOT, "  %-34s median %7.3f ms  p95 %7.3f ms  %7.1f images/s  (%s)%n",
                "raw session.run", rawMedian, raw.p95(), 1000 / rawMedian, t);
        System.out.printf(Locale.ROOT, "  %-34s median %7.3f ms  p95 %7.3f ms  %7.1f images/s  runner/raw %.3f  (%s)%n",
                "LineSight runner (pre+run+post)", runner.median(), runner.p95(), 1000 / runner.median(),
                runner.median() / rawMedian, t);
        runnerTimes.printParts();
        System.out.printf(Locale.ROOT, "  %-34s %7.1f images/s = %.3f x 1/raw  (%s)%n", "LineSight runner, frame after frame",
                1000 / runner.median(), rawMedian / runner.median(), t);
        String o = threadsLabel(overlapThreads);
        if (overlapRaw != raw) {
            System.out.printf(Locale.ROOT, "  %-34s median %7.3f ms  p95 %7.3f ms  %7.1f images/s  (%s, cores - 1)%n",
                    "raw session.run, overlap threads", overlapRaw.median(), overlapRaw.p95(), 1000 / overlapRaw.median(), o);
        }
        System.out.printf(Locale.ROOT, "  %-34s %7.1f images/s = %.3f x 1/raw  (%s, cores - 1, raw with the same)%n",
                "LineSight runner, overlapped", overlapped, overlapped * overlapRaw.median() / 1000, o);
        System.out.printf(Locale.ROOT, "  %-34s median %7.3f ms  p95 %7.3f ms  %7.1f images/s  runner/raw %.3f  (%s)%n",
                STOP_SPINNING ? "runner, spinning on, 1 pre thread" : "runner, spinning stopped, 2 pre thr.",
                other.total.median(), other.total.p95(), 1000 / other.total.median(), other.total.median() / rawMedian, t);
        other.printParts();
        if (djl != null) {
            System.out.printf(Locale.ROOT, "  %-34s median %7.3f ms  p95 %7.3f ms  %7.1f images/s  djl/raw %.3f  djl/runner %.3f  (%s)%n",
                    "DJL (ORT engine + translator)", djl.median(), djl.p95(), 1000 / djl.median(),
                    djl.median() / rawMedian, djl.median() / runner.median(), t);
        }
    }

    private static String threadsLabel(int intraOpThreads) {
        return intraOpThreads + " intra-op thread" + (intraOpThreads == 1 ? "" : "s");
    }

    /**
     * Input for the raw runs: seeded values in the range a normalised image has. ONNX Runtime's CPU
     * kernels take the same time whatever the values are; the detector's decode, which does depend on them,
     * is timed on the real frame in the runner's runs.
     */
    private static float[] rawInput(long[] shape) {
        float[] values = new float[(int) (shape[1] * shape[2] * shape[3])];
        Random random = new Random(11);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() * 2 - 1;
        }
        return values;
    }

    /** float32, or float16 for half-precision exports (converted once, outside the timing). */
    /** Sink for {@link #touchEveryCacheLine}, so the JIT cannot drop the reads. */
    private static float touched;

    /**
     * Reads one float of every 64-byte cache line of the output, the least any consumer of the whole output
     * must read: it shows what bringing memory ONNX Runtime's threads just wrote to the consuming core costs.
     */
    private static float touchEveryCacheLine(FloatBuffer output) {
        float sum = 0;
        for (int i = 0; i < output.capacity(); i += 16) {
            sum += output.get(i);
        }
        return sum;
    }

    private static OnnxTensor rawTensor(OrtSession session, String inputName, float[] input, long[] shape)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        TensorInfo info = (TensorInfo) session.getInputInfo().get(inputName).getInfo();
        if (info.type == OnnxJavaType.FLOAT16) {
            ByteBuffer bytes = ByteBuffer.allocateDirect(input.length * 2).order(ByteOrder.nativeOrder());
            ShortBuffer halves = bytes.asShortBuffer();
            for (float v : input) {
                halves.put(Fp16Conversions.floatToFp16(v));
            }
            halves.flip();
            return OnnxTensor.createTensor(env, halves, shape, OnnxJavaType.FLOAT16);
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
    }

    private static int inputSide(JsonObject card, boolean detector, String side) {
        JsonObject pre = card.getAsJsonObject("preprocessing");
        if (detector) {
            return pre.getAsJsonObject("letterbox").get(side).getAsInt();
        }
        return card.getAsJsonObject("input").get(side).getAsInt();
    }

    /** A 1280x720 BGR frame: the package's first golden image scaled up, or seeded noise if it has none. */
    private static Frame cameraFrame(Path dir) throws Exception {
        BufferedImage bgr = new BufferedImage(FRAME_WIDTH, FRAME_HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Path golden = firstImage(dir.resolve("golden"));
        if (golden != null) {
            var g = bgr.createGraphics();
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(ImageIO.read(golden.toFile()), 0, 0, FRAME_WIDTH, FRAME_HEIGHT, null);
            g.dispose();
        } else {
            new Random(7).nextBytes(((DataBufferByte) bgr.getRaster().getDataBuffer()).getData());
        }
        byte[] pixels = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        return new Frame("bench", 1, System.nanoTime(), Instant.now(), FRAME_WIDTH, FRAME_HEIGHT, PixelFormat.BGR24,
                pixels, null);
    }

    private static Path firstImage(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        // Links followed: the recipe variants in target/models/ link the golden folder of their package.
        try (Stream<Path> files = Files.walk(folder, FileVisitOption.FOLLOW_LINKS)) {
            return files.filter(p -> p.toString().endsWith(".png") || p.toString().endsWith(".jpg")).sorted()
                    .findFirst().orElse(null);
        }
    }

    private static OrtSession.SessionOptions rawOptions(int threads) throws Exception {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.addConfigEntry("session.intra_op.allow_spinning", SPINNING ? "1" : "0"); // as the runner's
        // Raw runs back to back: ONNX Runtime's default (threads keep spinning between runs) is its fastest floor.
        return options;
    }

    /** The runner's configuration, as Config Admin would hand it over. */
    private static OnnxRunnerConfig settings(int threads, boolean stopSpinning, int preprocessThreads) {
        return new OnnxRunnerConfig() {
            @Override
            public int intraOpThreads() {
                return threads;
            }

            @Override
            public String optimizationLevel() {
                return "ALL_OPT";
            }

            @Override
            public String executionMode() {
                return "SEQUENTIAL";
            }

            @Override
            public boolean intraOpSpinning() {
                return SPINNING;
            }

            @Override
            public boolean stopSpinningAfterRun() {
                return stopSpinning;
            }

            @Override
            public int preprocessThreads() {
                return preprocessThreads;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return OnnxRunnerConfig.class;
            }
        };
    }

    /** Latencies in nanoseconds; reports milliseconds. */
    /** A runner's latency per frame and its parts, as the runner reports them. */
    private static final class RunnerTimes {
        final Samples total = new Samples();
        final Samples pre = new Samples();
        final Samples run = new Samples();
        final Samples post = new Samples();

        void time(OnnxModel model, Frame frame) throws Exception {
            long t0 = System.nanoTime();
            InferenceResult r = model.infer(frame);
            total.add(System.nanoTime() - t0);
            pre.add(r.preprocessNanos());
            run.add(r.inferenceNanos());
            post.add(r.postprocessNanos());
        }

        void printParts() {
            System.out.printf(Locale.ROOT, "  %-34s median %7.3f ms pre / %.3f ms run / %.3f ms post%n", "  of which",
                    pre.median(), run.median(), post.median());
        }
    }

    private static final class Samples {
        private long[] values = new long[256];
        private int size;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        double median() {
            return quantile(0.5);
        }

        double p95() {
            return quantile(0.95);
        }

        private double quantile(double q) {
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return sorted[Math.min(size - 1, (int) Math.ceil(q * size) - 1)] / 1e6;
        }
    }

    /** DJL's ONNX Runtime engine with its image classification translator, doing the card's recipe. */
    private static final class DjlClassifier implements AutoCloseable {
        private final ZooModel<Image, Classifications> model;
        private final Predictor<Image, Classifications> predictor;
        private final Image image;

        DjlClassifier(Path dir, JsonObject card, int threads) throws Exception {
            JsonObject pre = card.getAsJsonObject("preprocessing");
            JsonObject resize = pre.getAsJsonObject("resize");
            JsonObject input = card.getAsJsonObject("input");
            ImageClassificationTranslator.Builder translator = ImageClassificationTranslator.builder()
                    .setImageSize(input.get("width").getAsInt(), input.get("height").getAsInt());
            if ("shorter".equals(resize.get("mode").getAsString())) {
                translator.addTransform(new ResizeShort(resize.get("size").getAsInt(), -1, Image.Interpolation.BILINEAR));
            } else {
                translator.addTransform(new Resize(resize.get("width").getAsInt(), resize.get("height").getAsInt(),
                        Image.Interpolation.BILINEAR));
            }
            if (pre.has("centerCrop") && pre.get("centerCrop").isJsonObject()) {
                JsonObject crop = pre.getAsJsonObject("centerCrop");
                translator.addTransform(new CenterCrop(crop.get("width").getAsInt(), crop.get("height").getAsInt()));
            }
            translator.addTransform(new ToTensor());
            translator.addTransform(new Normalize(floats(pre, "mean"), floats(pre, "std")));
            List<String> labels = new ArrayList<>();
            card.getAsJsonArray("labels").forEach(l -> labels.add(l.getAsString()));
            translator.optSynset(labels).optApplySoftmax(true);
            Criteria<Image, Classifications> criteria = Criteria.builder()
                    .setTypes(Image.class, Classifications.class)
                    .optModelPath(dir.resolve(card.get("file").getAsString()))
                    .optEngine("OnnxRuntime")
                    .optTranslator(translator.build())
                    .optOption("intraOpNumThreads", String.valueOf(threads))
                    .optOption("interOpNumThreads", "1")
                    .optOption("optLevel", "ALL_OPT")
                    .optOption("executionMode", "SEQUENTIAL")
                    .build();
            model = criteria.loadModel();
            predictor = model.newPredictor();
            BufferedImage frame = new BufferedImage(FRAME_WIDTH, FRAME_HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
            Path golden = firstImage(dir.resolve("golden"));
            if (golden != null) {
                frame.createGraphics().drawImage(ImageIO.read(golden.toFile()), 0, 0, FRAME_WIDTH, FRAME_HEIGHT, null);
            }
            image = ImageFactory.getInstance().fromImage(frame);
        }

        Classifications predict() throws Exception {
            return predictor.predict(image);
        }

        private static float[] floats(JsonObject pre, String key) {
            var array = pre.getAsJsonArray(key);
            float[] values = new float[array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = array.get(i).getAsFloat();
            }
            return values;
        }

        @Override
        public void close() {
            predictor.close();
            model.close();
        }
    }
}
