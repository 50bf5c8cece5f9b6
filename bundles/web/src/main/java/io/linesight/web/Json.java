package io.linesight.web;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import io.linesight.api.deploy.Activation;
import io.linesight.api.deploy.StoredModel;
import io.linesight.api.event.RuntimeEvent;
import io.linesight.api.inspection.DropCause;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineCounters;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.output.OutputStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the REST API and the stream, built explicitly so the README's table stays true. */
final class Json {

    /** Compact (one line per document, as server-sent events need); instants as ISO-8601. */
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().serializeSpecialFloatingPointValues()
            .registerTypeAdapter(Instant.class, new InstantAdapter()).create();

    private Json() {
    }

    static JsonObject line(LineStatus s) {
        JsonObject o = new JsonObject();
        o.addProperty("id", s.lineId());
        o.addProperty("state", s.state().name());
        o.addProperty("stateDetail", s.stateDetail());
        JsonObject camera = new JsonObject();
        camera.addProperty("sourceId", s.sourceId());
        camera.addProperty("state", s.sourceState().name());
        o.add("camera", camera);
        o.add("model", s.model().map(Json::model).orElse(null));
        o.add("counters", counters(s.counters()));
        o.addProperty("framesPerSecond", round(s.framesPerSecond(), 2));
        JsonObject latency = new JsonObject();
        latency.addProperty("p50", round(s.latencyP50Ms(), 2));
        latency.addProperty("p95", round(s.latencyP95Ms(), 2));
        o.add("latencyMs", latency);
        o.addProperty("lastVerdict", s.lastVerdict().map(Enum::name).orElse(null));
        o.addProperty("taken", s.taken().toString());
        return o;
    }

    static JsonObject model(ModelInfo m) {
        JsonObject o = new JsonObject();
        o.addProperty("name", m.name());
        o.addProperty("version", m.version());
        o.addProperty("sha256", m.sha256());
        o.addProperty("task", m.task().name());
        o.add("labels", GSON.toJsonTree(m.labels()));
        return o;
    }

    static JsonObject counters(LineCounters c) {
        JsonObject o = new JsonObject();
        o.addProperty("inspected", c.inspected());
        o.addProperty("pass", c.pass());
        o.addProperty("reject", c.reject());
        o.addProperty("review", c.review());
        JsonObject dropped = new JsonObject();
        for (DropCause cause : DropCause.values()) {
            dropped.addProperty(cause.name(), c.dropped().getOrDefault(cause, 0L));
        }
        o.add("dropped", dropped);
        o.addProperty("droppedTotal", c.droppedTotal());
        return o;
    }

    /** One inspection without pixels: frame identity, verdict, result and latencies. */
    static JsonObject inspection(InspectionEvent e) {
        JsonObject o = new JsonObject();
        o.addProperty("sequence", e.sequence());
        o.addProperty("sourceId", e.sourceId());
        o.addProperty("captureTime", e.captureTime().toString());
        o.addProperty("verdict", e.verdict().name());
        o.addProperty("reason", e.reason());
        o.addProperty("summary", summary(e.result()));
        o.add("result", result(e.result(), e.model().labels(), 5));
        o.addProperty("model", e.model().displayName());
        if (e.latencies() != null) {
            o.addProperty("totalMs", round(e.latencies().totalNanos() / 1e6, 2));
            o.addProperty("inferenceMs", round(e.latencies().inferenceNanos() / 1e6, 2));
        }
        if (e.truth() != null) {
            o.addProperty("truth", e.truth());
        }
        return o;
    }

    /** A classification's top {@code k} classes, or a detector's boxes. */
    static JsonObject result(InferenceResult r, List<String> labels, int k) {
        JsonObject o = new JsonObject();
        if (r instanceof Classification c) {
            o.addProperty("task", "CLASSIFY");
            JsonArray top = new JsonArray();
            for (ClassScore s : topK(c, labels, k)) {
                JsonObject score = new JsonObject();
                score.addProperty("label", s.label());
                score.addProperty("probability", round(s.confidence(), 4));
                top.add(score);
            }
            o.add("top", top);
        } else if (r instanceof Detections d) {
            o.addProperty("task", "DETECT");
            JsonArray boxes = new JsonArray();
            for (Detection det : d.objects()) {
                boxes.add(box(det));
            }
            o.add("boxes", boxes);
        }
        return o;
    }

    /**
     * The top {@code k} classes from every probability (the runner's own top list may be shorter), named
     * by the model's labels.
     */
    static List<ClassScore> topK(Classification c, List<String> labels, int k) {
        float[] p = c.probabilities();
        if (p.length == 0) {
            return c.top().subList(0, Math.min(k, c.top().size()));
        }
        return java.util.stream.IntStream.range(0, p.length).boxed()
                .sorted((a, b) -> Float.compare(p[b], p[a])).limit(k)
                .map(i -> new ClassScore(i, i < labels.size() ? labels.get(i) : "class " + i, p[i]))
                .toList();
    }

    private static JsonObject box(Detection d) {
        JsonObject o = new JsonObject();
        o.addProperty("label", d.label());
        o.addProperty("confidence", round(d.confidence(), 4));
        o.addProperty("x1", round(d.x1(), 1));
        o.addProperty("y1", round(d.y1(), 1));
        o.addProperty("x2", round(d.x2(), 1));
        o.addProperty("y2", round(d.y2(), 1));
        return o;
    }

    /** A few words for a verdict list: "defect 0.93" or "3 objects". */
    static String summary(InferenceResult r) {
        if (r instanceof Classification c) {
            return c.best().label() + " " + String.format(java.util.Locale.ROOT, "%.2f", c.best().confidence());
        }
        Detections d = (Detections) r;
        return d.objects().size() == 1 ? "1 object" : d.objects().size() + " objects";
    }

    static JsonObject event(RuntimeEvent e) {
        JsonObject o = new JsonObject();
        o.addProperty("sequence", e.sequence());
        o.addProperty("time", e.time().toString());
        o.addProperty("kind", e.kind().name());
        o.addProperty("severity", e.kind().severity());
        o.addProperty("alarm", e.kind().raisesAlarm());
        o.addProperty("source", e.source());
        o.addProperty("message", e.message());
        return o;
    }

    static JsonObject alarm(io.linesight.api.event.Alarm a) {
        JsonObject o = new JsonObject();
        o.addProperty("id", a.id());
        o.addProperty("kind", a.kind().name());
        o.addProperty("severity", a.kind().severity());
        o.addProperty("source", a.source());
        o.addProperty("message", a.message());
        o.addProperty("raisedAt", a.raisedAt().toString());
        o.addProperty("occurrences", a.occurrences());
        o.addProperty("active", a.active());
        o.addProperty("clearedAt", a.clearedAt() == null ? null : a.clearedAt().toString());
        o.addProperty("acknowledged", a.acknowledged());
        o.addProperty("acknowledgedAt", a.acknowledgedAt() == null ? null : a.acknowledgedAt().toString());
        o.addProperty("acknowledgedBy", a.acknowledgedBy());
        return o;
    }

    static JsonObject transition(io.linesight.api.event.AlarmTransition t) {
        JsonObject o = new JsonObject();
        o.addProperty("time", t.time().toString());
        o.addProperty("alarm", t.alarmId());
        o.addProperty("kind", t.kind().name());
        o.addProperty("source", t.source());
        o.addProperty("change", t.change().name());
        o.addProperty("who", t.who());
        o.addProperty("message", t.message());
        return o;
    }

    static JsonObject drift(io.linesight.api.watch.DriftFigures f) {
        JsonObject o = new JsonObject();
        o.addProperty("line", f.lineId());
        o.addProperty("model", f.model());
        o.addProperty("state", f.state().name());
        o.addProperty("referenceFrames", f.referenceFrames());
        o.addProperty("windowFrames", f.windowFrames());
        o.addProperty("confidencePsi", f.confidencePsi());
        o.addProperty("confidenceKs", f.confidenceKs());
        o.addProperty("verdictPsi", f.verdictPsi());
        o.addProperty("classPsi", f.classPsi());
        o.addProperty("referenceRejectRate", f.referenceRejectRate());
        o.addProperty("windowRejectRate", f.windowRejectRate());
        o.addProperty("evaluatedAt", f.evaluatedAt().toString());
        return o;
    }

    static JsonObject healthWindow(io.linesight.api.watch.HealthWindowStatus w) {
        JsonObject o = new JsonObject();
        o.addProperty("line", w.lineId());
        o.addProperty("model", w.model());
        o.addProperty("previousModel", w.previousModel());
        o.addProperty("state", w.state().name());
        o.addProperty("frames", w.frames());
        o.addProperty("remainingMs", w.remainingMs());
        o.addProperty("rejectRate", w.rejectRate());
        o.addProperty("previousRejectRate", w.previousRejectRate());
        o.addProperty("previousFrames", w.previousFrames());
        o.addProperty("inferenceErrors", w.inferenceErrors());
        o.addProperty("latencyP95Ms", w.latencyP95Ms());
        o.addProperty("previousLatencyP95Ms", w.previousLatencyP95Ms());
        o.addProperty("note", w.note());
        o.addProperty("updatedAt", w.updatedAt().toString());
        return o;
    }

    static JsonObject output(OutputStatus s) {
        JsonObject o = new JsonObject();
        o.addProperty("id", s.outputId());
        o.addProperty("kind", s.kind());
        o.addProperty("target", s.target());
        o.add("lines", GSON.toJsonTree(s.lines()));
        o.addProperty("state", s.state().name());
        o.addProperty("detail", s.detail());
        o.addProperty("lastHeartbeat", s.lastHeartbeat().map(Instant::toString).orElse(null));
        o.add("counters", GSON.toJsonTree(s.counters()));
        o.addProperty("taken", s.taken().toString());
        return o;
    }

    static JsonObject stored(StoredModel m) {
        JsonObject o = GSON.toJsonTree(m).getAsJsonObject();
        o.addProperty("id", m.id());
        return o;
    }

    /** A shadow trial's figures; the confusion matrix as {active verdict: {candidate verdict: frames}}. */
    static JsonObject shadow(io.linesight.api.inspection.ShadowFigures f) {
        JsonObject o = new JsonObject();
        o.addProperty("line", f.lineId());
        o.add("candidate", model(f.candidate()));
        o.add("active", f.active() == null ? null : model(f.active()));
        o.addProperty("state", f.state().name());
        o.addProperty("stopReason", f.stopReason());
        o.addProperty("framesJudged", f.framesJudged());
        o.addProperty("framesSkipped", f.framesSkipped());
        o.addProperty("verdictAgreement", f.verdictAgreement());
        o.addProperty("top1Agreement", f.top1Agreement());
        JsonObject confusion = new JsonObject();
        for (io.linesight.api.inspection.Verdict a : io.linesight.api.inspection.Verdict.values()) {
            JsonObject row = new JsonObject();
            for (io.linesight.api.inspection.Verdict c : io.linesight.api.inspection.Verdict.values()) {
                row.addProperty(c.name(), f.confusion(a, c));
            }
            confusion.add(a.name(), row);
        }
        o.add("confusion", confusion);
        o.add("activeConfidence", GSON.toJsonTree(f.activeConfidence()));
        o.add("candidateConfidence", GSON.toJsonTree(f.candidateConfidence()));
        JsonObject latency = new JsonObject();
        latency.addProperty("activeP50", round(f.activeLatencyP50Ms(), 2));
        latency.addProperty("activeP95", round(f.activeLatencyP95Ms(), 2));
        latency.addProperty("candidateP50", round(f.candidateLatencyP50Ms(), 2));
        latency.addProperty("candidateP95", round(f.candidateLatencyP95Ms(), 2));
        latency.addProperty("ratio", round(f.latencyRatio(), 3));
        o.add("latencyMs", latency);
        o.addProperty("errors", f.errors());
        o.addProperty("disagreementsSaved", f.disagreementsSaved());
        o.addProperty("rule", f.rule());
        o.addProperty("unmet", f.unmet());
        o.addProperty("autoPromote", f.autoPromote());
        o.addProperty("startedAt", f.startedAt().toString());
        return o;
    }

    static JsonObject activation(Activation a) {
        return GSON.toJsonTree(a).getAsJsonObject();
    }

    static double round(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return 0;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** ISO-8601 instants instead of gson's reflective view of {@link Instant}'s fields. */
    private static final class InstantAdapter extends TypeAdapter<Instant> {
        @Override
        public void write(JsonWriter out, Instant value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(value.toString());
            }
        }

        @Override
        public Instant read(JsonReader in) throws IOException {
            return Instant.parse(in.nextString());
        }
    }
}
