package io.linesight.model.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.linesight.api.model.card.ModelCard;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Text an OT engineer reads on the console: what a model package is, and how fast it runs. Pure formatting. */
final class ModelReport {

    private ModelReport() {
    }

    /** The {@code model:inspect} report. */
    static String inspect(ModelCard card, OnnxFileSummary file, Map<String, String> inputs, Map<String, String> outputs,
                          Map<String, String> metadata) {
        StringBuilder out = new StringBuilder();
        line(out, "package", card.name() + ":" + card.version() + " (" + card.task() + ")");
        line(out, "file", card.file() + ", " + String.format(Locale.ROOT, "%.2f MB", file.fileBytes() / 1e6));
        inputs.forEach((name, type) -> line(out, "input", name + " " + type));
        outputs.forEach((name, type) -> line(out, "output", name + " " + type));
        line(out, "opset", file.opsets().entrySet().stream()
                .map(e -> (e.getKey().isEmpty() ? "ai.onnx" : e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", ")) + " (IR " + file.irVersion() + ")");
        line(out, "operators", file.operators().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        line(out, "parameters", String.format(Locale.ROOT, "%,d", file.parameters()));
        line(out, "nonzero", String.format(Locale.ROOT, "%,d", file.nonzeroParameters()));
        line(out, "sparsity", String.format(Locale.ROOT, "%.1f %%", 100 * file.sparsity()));
        line(out, "precision", file.precision() + " " + file.parametersByType());
        line(out, "labels", card.labels().size() + " " + abbreviate(card.labels().toString(), 80));
        if (card.preprocessing() != null) {
            line(out, "preprocessing", preprocessing(card.preprocessing()));
        }
        if (!metadata.isEmpty()) {
            line(out, "metadata", abbreviate(metadata.toString(), 100));
        }
        return out.toString();
    }

    /** The recipe and its resize in one line, e.g. "pil, resize shorter 256 bicubic, centre crop 224x224". */
    static String preprocessing(ModelCard.Preprocessing p) {
        StringBuilder s = new StringBuilder(String.valueOf(p.recipe()));
        if (p.letterbox() != null) {
            s.append(", letterbox ").append(p.letterbox().width()).append('x').append(p.letterbox().height())
                    .append(' ').append(p.letterbox().interpolation() == null ? "bilinear" : p.letterbox().interpolation())
                    .append(", pad ").append(p.letterbox().padValue());
        }
        ModelCard.Resize r = p.resize();
        if (r != null) {
            s.append(", resize ").append("fixed".equals(r.mode()) ? r.width() + "x" + r.height() : "shorter " + r.size())
                    .append(' ').append(r.interpolation() == null ? "bilinear" : r.interpolation());
            if (r.antialias() != null) {
                s.append(r.antialias() ? ", antialias" : ", no antialias");
            }
            if (r.input() != null) {
                s.append(" on ").append(r.input());
            }
        }
        if (p.centerCrop() != null) {
            s.append(", centre crop ").append(p.centerCrop().width()).append('x').append(p.centerCrop().height());
        }
        return s.toString();
    }

    /**
     * Warnings about a card's recipe: missing (the runner chose one), or unusual for the task (the training code
     * that would produce such a model is rare, so the card is more likely wrong than the model).
     */
    static String recipeWarnings(ModelCard card, boolean declared) {
        StringBuilder out = new StringBuilder();
        ModelCard.Preprocessing p = card.preprocessing();
        if (p == null) {
            return "";
        }
        boolean detector = "detect".equals(card.task());
        if (!declared) {
            line(out, "warning", "the card names no preprocessing.recipe; the runner uses " + p.recipe()
                    + ". Declare the recipe the model was trained with (models/README.md, Recipes)");
        }
        if (detector && !"cv2".equals(p.recipe())) {
            line(out, "warning", "a YOLOv5 detector is usually trained with the cv2 letterbox (recipe cv2); this card"
                    + " says " + p.recipe() + ": check it against the training code");
        }
        String interpolation = p.resize() == null || p.resize().interpolation() == null ? "bilinear"
                : p.resize().interpolation();
        if (!detector && "nearest".equals(interpolation)) {
            line(out, "warning", "nearest-neighbour resizing is rare for classifiers and aliases when shrinking:"
                    + " check the card against the training code");
        }
        if (!detector && "torch-tensor".equals(p.recipe()) && Boolean.FALSE.equals(p.resize().antialias())
                && "uint8".equals(p.resize().input())) {
            line(out, "warning", "torch-tensor on uint8 without antialias: torchvision 0.17 and later antialias by"
                    + " default; check which version trained the model");
        }
        return out.toString();
    }

    /** The {@code model:bench} report: raw session.run beside the full runner. */
    static String bench(String model, int iterations, Latencies raw, Latencies full, long rssBeforeKb, long rssAfterKb) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s, %d frames of 1280x720 BGR after warm-up%n", model, iterations));
        out.append(String.format(Locale.ROOT, "%-26s %8s %8s %8s %10s%n", "", "p50 ms", "p95 ms", "p99 ms", "images/s"));
        row(out, "raw session.run", raw);
        row(out, "runner (pre+run+post)", full);
        out.append(String.format(Locale.ROOT, "runner / raw (p50)        %8.2f%n", full.p50() / raw.p50()));
        out.append(String.format(Locale.ROOT, "resident memory           %,d kB before loading, %,d kB after (+%,d kB)%n",
                rssBeforeKb, rssAfterKb, rssAfterKb - rssBeforeKb));
        return out.toString();
    }

    /** Latency percentiles of a run, in milliseconds. */
    record Latencies(double p50, double p95, double p99, double imagesPerSecond) {
        static Latencies of(long[] nanos, long wallNanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Latencies(pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), nanos.length * 1e9 / wallNanos);
        }

        private static double pct(long[] sorted, double p) {
            int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
        }
    }

    /** "name [1, 3, 224, 224] FLOAT" per input or output of the session. */
    static Map<String, String> describe(Map<String, NodeInfo> nodes) {
        Map<String, String> described = new java.util.LinkedHashMap<>();
        nodes.forEach((name, info) -> described.put(name, info.getInfo() instanceof TensorInfo t
                ? Arrays.toString(t.getShape()) + " " + t.type : info.getInfo().toString()));
        return described;
    }

    static Map<String, String> metadata(OrtSession session) throws OrtException {
        return session.getMetadata().getCustomMetadata();
    }

    private static void row(StringBuilder out, String name, Latencies l) {
        out.append(String.format(Locale.ROOT, "%-26s %8.2f %8.2f %8.2f %10.1f%n", name, l.p50(), l.p95(), l.p99(),
                l.imagesPerSecond()));
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(String.format(Locale.ROOT, "%-11s %s%n", key, value));
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
