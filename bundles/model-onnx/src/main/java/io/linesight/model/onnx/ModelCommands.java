package io.linesight.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelLoadException;
import io.linesight.api.model.card.ModelCard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Gogo commands an OT engineer uses to look at a model package before trusting it:
 * {@code model:inspect <package>}, {@code model:eval <package> <dataset-folder>} and
 * {@code model:bench <package> [frames]}. Packages are folders;
 * relative paths resolve against the folder the runtime was started in.
 */
@Component(service = ModelCommands.class, configurationPid = SessionSettings.PID,
        property = {"osgi.command.scope=model", "osgi.command.function=inspect", "osgi.command.function=bench",
                "osgi.command.function=eval"})
public class ModelCommands {

    static final String INSPECT_USAGE = "model:inspect <package folder>, e.g. model:inspect models/defect-mobilenetv2";
    static final String EVAL_USAGE = "model:eval <package folder> <dataset folder>,"
            + " e.g. model:eval models/defect-mobilenetv2 /data/parts";
    static final String BENCH_USAGE = "model:bench <package folder> [frames], e.g. model:bench models/defect-mobilenetv2 300";

    private static final int WARM_UP = 20;
    private static final int MAX_FRAMES = 100_000;
    private final SessionSettings settings;

    @Activate
    public ModelCommands(OnnxRunnerConfig config) {
        this(SessionSettings.from(config));
    }

    ModelCommands(SessionSettings settings) {
        this.settings = settings;
    }

    /** Inputs, outputs, opset, operators, parameters, sparsity, precision and the card of a package. */
    @Descriptor("show a model package: inputs, outputs, opset, operators, parameters, sparsity, precision and its"
            + " card. Usage: " + INSPECT_USAGE)
    public String inspect(@Descriptor("package folder, the one that holds model.json (relative to the runtime's folder)")
                          String packagePath) {
        Path dir = resolve(packagePath);
        String notAPackage = notAPackage(dir, INSPECT_USAGE);
        if (notAPackage != null) {
            return notAPackage;
        }
        try {
            String declaredRecipe = ModelCards.parse(dir).preprocessing() == null ? null
                    : ModelCards.parse(dir).preprocessing().recipe();
            ModelCard card = ModelCards.read(dir);
            Path file = dir.resolve(card.file());
            OnnxFileSummary summary = OnnxFileSummary.read(file);
            try (OrtSession.SessionOptions options = settings.toOptions();
                 OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString(), options)) {
                return ModelReport.inspect(card, summary, ModelReport.describe(session.getInputInfo()),
                        ModelReport.describe(session.getOutputInfo()), ModelReport.metadata(session))
                        + ModelReport.recipeWarnings(card, declaredRecipe != null);
            }
        } catch (ModelLoadException | IOException | OrtException | RuntimeException e) {
            return "Cannot inspect " + dir + ": " + e.getMessage();
        }
    }

    /**
     * Accuracy of a package on a labelled dataset, run as the line runs it: for a classifier an ImageFolder
     * dataset (one folder per label), for a detector a YOLO dataset (images/ and labels/). Progress lines go
     * to the console while it runs; the report is the return value.
     */
    @Descriptor("score a model package on a labelled dataset (ImageFolder for a classifier, YOLO for a detector)"
            + " with the line's runner: confusion matrix and report, or P, R, mAP. Usage: " + EVAL_USAGE)
    public String eval(@Descriptor("package folder, the one that holds model.json") String packagePath,
                       @Descriptor("dataset folder, with one folder per label (classifier) or images/ and labels/"
                               + " (detector)")
                       String datasetPath) {
        String notAPackage = notAPackage(resolve(packagePath), EVAL_USAGE);
        if (notAPackage != null) {
            return notAPackage;
        }
        return new ModelEvaluation(settings, System.out, System::nanoTime).evaluate(resolve(packagePath),
                resolve(datasetPath));
    }

    /** Latency of raw session.run and of the full runner on a 1280x720 frame, with memory before and after loading. */
    @Descriptor("time raw session.run and the full runner on a 1280x720 frame (200 frames), with memory before and"
            + " after loading. Usage: " + BENCH_USAGE)
    public String bench(@Descriptor("package folder, the one that holds model.json") String packagePath) {
        return bench(packagePath, 200);
    }

    @Descriptor("time raw session.run and the full runner on a 1280x720 frame, with memory before and after loading."
            + " Usage: " + BENCH_USAGE)
    public String bench(@Descriptor("package folder, the one that holds model.json") String packagePath,
                        @Descriptor("frames, how many to time: 1.." + MAX_FRAMES + " (default 200)") String frames) {
        int count;
        try {
            count = Integer.parseInt(frames.trim());
        } catch (NumberFormatException e) {
            count = 0;
        }
        if (count < 1 || count > MAX_FRAMES) {
            return "'" + frames + "' is not a number of frames: give 1.." + MAX_FRAMES + ", e.g. model:bench "
                    + packagePath + " 300.";
        }
        return bench(packagePath, count);
    }

    String bench(String packagePath, int frames) {
        Path dir = resolve(packagePath);
        String notAPackage = notAPackage(dir, BENCH_USAGE);
        if (notAPackage != null) {
            return notAPackage;
        }
        long rssBefore = residentKb();
        try (LoadedModel model = new OnnxModelRuntime(settings).load(dir)) {
            long rssAfter = residentKb();
            Frame frame = testFrame(1280, 720);
            ModelReport.Latencies full = time(frames, () -> model.infer(frame));
            ModelReport.Latencies raw = rawSessionRun(dir, model, frame, frames);
            return ModelReport.bench(model.info().displayName(), frames, raw, full, rssBefore, rssAfter);
        } catch (Exception e) {
            return "Cannot benchmark " + dir + ": " + e.getMessage();
        }
    }

    /**
     * Gogo calls this when no form of a command fits the typed arguments (one missing, one too many), instead of
     * printing "Cannot coerce eval(Token) to any of ...": as a varargs method it matches every function and scores
     * worse than any form that fits. The answer is the usage, in one sentence.
     */
    public String _main(Object... nameAndArguments) {
        String function = nameAndArguments.length == 0 ? "" : String.valueOf(nameAndArguments[0]);
        String usage = switch (function) {
            case "inspect" -> INSPECT_USAGE;
            case "eval" -> EVAL_USAGE;
            case "bench" -> BENCH_USAGE;
            default -> "linesight (lists LineSight's commands)";
        };
        int given = nameAndArguments.length - 1;
        return "Usage: " + usage + " (" + (given == 0 ? "no argument" : given + " argument" + (given == 1 ? "" : "s"))
                + " given).";
    }

    /**
     * Why {@code dir} is not a package a command can read, in one sentence with the usage, or null. Checked before
     * loading, whose own message speaks of a line's model.package setting.
     */
    static String notAPackage(Path dir, String usage) {
        if (!Files.isDirectory(dir)) {
            return "No model package at " + dir + " (no such folder): give the folder that holds model.json, as in "
                    + usage + ".";
        }
        if (!Files.isRegularFile(dir.resolve(ModelCards.CARD_FILE))) {
            return dir + " is not a model package (it has no " + ModelCards.CARD_FILE + "): give the folder that holds"
                    + " it, as in " + usage + ".";
        }
        return null;
    }

    /** session.run alone, on an input tensor prepared once from the same frame. */
    private ModelReport.Latencies rawSessionRun(Path dir, LoadedModel model, Frame frame, int frames) throws Exception {
        ModelCard card = ModelCards.read(dir);
        boolean detector = "detect".equals(card.task());
        float[] chw = detector
                ? new LetterboxPreprocessor(card.preprocessing().letterbox()).apply(frame)
                : new ClassifierPreprocessor(card.preprocessing(), card.input().height(), card.input().width()).apply(frame);
        long[] shape = detector
                ? new long[] {1, 3, card.preprocessing().letterbox().height(), card.preprocessing().letterbox().width()}
                : new long[] {1, 3, card.input().height(), card.input().width()};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = settings.toOptions();
             OrtSession session = env.createSession(dir.resolve(card.file()).toString(), options)) {
            InputTensor input = InputTensor.of(session, card.input().name(), shape);
            try (OnnxTensor tensor = input.wrap(env, chw)) {
                Map<String, OnnxTensor> feed = Map.of(card.input().name(), tensor);
                return time(frames, () -> {
                    try (OrtSession.Result ignored = session.run(feed)) {
                        return null;
                    }
                });
            }
        }
    }

    private interface Step {
        Object run() throws Exception;
    }

    private static ModelReport.Latencies time(int frames, Step step) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            step.run();
        }
        long[] nanos = new long[frames];
        long start = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            long t0 = System.nanoTime();
            step.run();
            nanos[i] = System.nanoTime() - t0;
        }
        return ModelReport.Latencies.of(nanos, System.nanoTime() - start);
    }

    /** A fixed pseudo-random BGR frame, so every run measures the same work. */
    static Frame testFrame(int w, int h) {
        byte[] pixels = new byte[w * h * 3];
        new Random(7).nextBytes(pixels);
        return new Frame("bench", 1, System.nanoTime(), Instant.now(), w, h, PixelFormat.BGR24, pixels, null);
    }

    /** VmRSS of this process in kB (Linux), or -1 where /proc is not available. */
    static long residentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static Path resolve(String packagePath) {
        return Path.of(System.getProperty("linesight.home", "")).toAbsolutePath().resolve(packagePath).normalize();
    }
}
