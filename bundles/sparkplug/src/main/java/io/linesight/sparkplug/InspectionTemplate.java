package io.linesight.sparkplug;

import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.api.model.InferenceResult;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import org.eclipse.tahu.SparkplugInvalidTypeException;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.Template;

/**
 * The Sparkplug template {@value #NAME}: one inspected frame as one metric, so a host records verdict, class,
 * confidence and frame sequence together (traceability), stamped with the frame's capture time. Its definition goes
 * in the NBIRTH; each line's {@value #METRIC} metric is an instance.
 */
final class InspectionTemplate {

    /** Name of the template definition in the NBIRTH. */
    static final String NAME = "InspectionResult";
    /** The line metric that carries an instance. */
    static final String METRIC = "Last Inspection";

    private InspectionTemplate() {
    }

    /** The definition: member names and types, default values. */
    static Metric definition() {
        return template(NAME, true, null, members(0, "", "", 0, "", "", 0, 0));
    }

    /** An empty instance, for a birth before any frame was judged. */
    static Template empty() {
        return instance(members(0, "", "", 0, "", "", 0, 0));
    }

    /** The instance for one inspection. */
    static Template of(InspectionEvent event) {
        String cls = "";
        double confidence = 0;
        int objects = 0;
        InferenceResult result = event.result();
        if (result instanceof Classification c) {
            cls = c.best().label();
            confidence = c.best().confidence();
        } else if (result instanceof Detections d) {
            objects = d.objects().size();
            Detection best = d.objects().stream().max(Comparator.comparingDouble(Detection::confidence)).orElse(null);
            if (best != null) {
                cls = best.label();
                confidence = best.confidence();
            }
        }
        double latencyMs = event.latencies() == null ? 0 : event.latencies().totalNanos() / 1e6;
        return instance(members(event.sequence(), event.verdict().name(), cls, confidence, event.reason() == null ? ""
                : event.reason(), event.model().name() + "@" + event.model().version(), latencyMs, objects));
    }

    private static List<Metric> members(long sequence, String verdict, String cls, double confidence, String reason,
                                        String model, double latencyMs, int objects) {
        return List.of(
                DeviceMetrics.named("Sequence", MetricDataType.Int64, sequence, null),
                DeviceMetrics.named("Verdict", MetricDataType.String, verdict, null),
                DeviceMetrics.named("Class", MetricDataType.String, cls, null),
                DeviceMetrics.named("Confidence", MetricDataType.Double, confidence, null),
                DeviceMetrics.named("Objects", MetricDataType.Int32, objects, null),
                DeviceMetrics.named("Reason", MetricDataType.String, reason, null),
                DeviceMetrics.named("Model", MetricDataType.String, model, null),
                DeviceMetrics.named("Latency Ms", MetricDataType.Double, latencyMs, null));
    }

    private static Template instance(List<Metric> members) {
        return new Template.TemplateBuilder().templateRef(NAME).definition(false).addMetrics(members).createTemplate();
    }

    private static Metric template(String name, boolean definition, Date at, List<Metric> members) {
        Template t = new Template.TemplateBuilder().version("1").definition(definition).addMetrics(members)
                .createTemplate();
        try {
            Metric m = new Metric.MetricBuilder(name, MetricDataType.Template, t).createMetric();
            m.setTimestamp(at);
            return m;
        } catch (SparkplugInvalidTypeException e) {
            throw new IllegalStateException(e);
        }
    }
}
