package io.linesight.web;

import java.util.Locale;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): for each metric family one HELP and one
 * TYPE line, then its samples {@code name{label="value",...} value}. Label values are escaped
 * (backslash, double quote, newline).
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    /** Starts a family; every sample written after it until the next family belongs to it. */
    PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} alternate name and value. */
    PrometheusText sample(String name, double value, String... labels) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    /** The samples of one histogram: cumulative buckets with {@code le}, then sum and count. */
    PrometheusText histogram(String name, Histogram.Snapshot h, String... labels) {
        for (int i = 0; i < h.cumulative().length; i++) {
            String le = i < h.boundsSeconds().length ? number(h.boundsSeconds()[i]) : "+Inf";
            sample(name + "_bucket", h.cumulative()[i], append(labels, "le", le));
        }
        sample(name + "_sum", h.sumSeconds(), labels);
        sample(name + "_count", h.count(), labels);
        return this;
    }

    private static String[] append(String[] labels, String name, String value) {
        String[] all = java.util.Arrays.copyOf(labels, labels.length + 2);
        all[labels.length] = name;
        all[labels.length + 1] = value;
        return all;
    }

    static String escape(String value) {
        return (value == null ? "" : value).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
