package io.linesight.api.model.card;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One JSON object of a card with typed getters. A missing field or {@code null} reads as null (numbers 0, flags
 * false), the way cards have always been read; a value of the wrong kind is refused naming the field. Scalars
 * convert as the card reader always allowed: a number where text is expected gives its text ({@code "version":
 * 1.0}), numeric text where a number is expected gives the number.
 */
final class CardFields {

    private final String path;
    private final Map<?, ?> members;

    CardFields(String path, Map<?, ?> members) {
        this.path = path;
        this.members = members;
    }

    ModelCard toCard() {
        CardFields input = object("input");
        CardFields pre = object("preprocessing");
        CardFields post = object("postprocessing");
        return new ModelCard(text("name"), text("version"), text("task"), text("file"), text("sha256"),
                input == null ? null : input.toInput(), pre == null ? null : pre.toPreprocessing(), texts("labels"),
                post == null ? null : post.toPostprocessing(), gate());
    }

    private ModelCard.Input toInput() {
        return new ModelCard.Input(text("name"), text("layout"), integer("height"), integer("width"), text("dtype"));
    }

    private ModelCard.Preprocessing toPreprocessing() {
        CardFields resize = object("resize");
        CardFields crop = object("centerCrop");
        CardFields box = object("letterbox");
        return new ModelCard.Preprocessing(text("recipe"),
                resize == null ? null : new ModelCard.Resize(resize.text("mode"), resize.integer("height"),
                        resize.integer("width"), resize.integer("size"), resize.text("interpolation"),
                        resize.flagOrNull("antialias"), resize.text("input")),
                crop == null ? null : new ModelCard.Size(crop.integer("height"), crop.integer("width")),
                box == null ? null : new ModelCard.LetterboxSpec(box.integer("height"), box.integer("width"),
                        box.integer("padValue"), box.text("interpolation")),
                number("scale"), floats("mean"), floats("std"), text("channelOrder"));
    }

    private ModelCard.Postprocessing toPostprocessing() {
        Boolean softmax = flagOrNull("softmax");
        return new ModelCard.Postprocessing(Boolean.TRUE.equals(softmax), integer("topK"),
                (float) number("confidenceThreshold"), (float) number("iouThreshold"), integer("maxDetections"));
    }

    /**
     * The gate is read leniently, as the deployment always read it: a gate that is not an object, or a figure that
     * is not a number, counts as not given (and the gate then says which figure is missing).
     */
    private ModelCard.Gate gate() {
        Object gate = members.get("gate");
        if (!(gate instanceof Map<?, ?> figures)) {
            return null;
        }
        return new ModelCard.Gate(numberOrNull(figures.get("minAccuracy")), numberOrNull(figures.get("minMap50")),
                numberOrNull(figures.get("latencyBudgetMs")));
    }

    private static Double numberOrNull(Object value) {
        return value instanceof StrictJson.Number n ? n.value() : null;
    }

    /** The nested object {@code field}, or null when absent; anything else is refused. */
    CardFields object(String field) {
        Object value = members.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw wrongKind(field, "an object", value);
        }
        return new CardFields(name(field) + ".", map);
    }

    /** The nested object {@code field}, or null when absent or not an object (for checks that only look). */
    CardFields objectOrNull(String field) {
        return members.get(field) instanceof Map<?, ?> map ? new CardFields(name(field) + ".", map) : null;
    }

    /** Adds {@code path.key} for every member not in {@code known}. */
    void collectUnknown(Set<String> known, List<String> unknown) {
        for (Object key : members.keySet()) {
            if (!known.contains(key)) {
                unknown.add(path + key);
            }
        }
    }

    private String text(String field) {
        Object value = members.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof StrictJson.Number n) {
            return n.text();
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        throw wrongKind(field, "text", value);
    }

    private double number(String field) {
        Object value = members.get(field);
        if (value == null) {
            return 0;
        }
        if (value instanceof StrictJson.Number n) {
            return n.value();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw wrongKind(field, "a number", value);
            }
        }
        throw wrongKind(field, "a number", value);
    }

    private int integer(String field) {
        double value = number(field);
        if (value != Math.rint(value) || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name(field) + " must be a whole number, was " + kind(members.get(field)));
        }
        return (int) value;
    }

    private Boolean flagOrNull(String field) {
        Object value = members.get(field);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.valueOf((String) value);
        }
        throw wrongKind(field, "true or false", value);
    }

    private float[] floats(String field) {
        List<?> items = list(field);
        if (items == null) {
            return null;
        }
        float[] out = new float[items.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(items.get(i) instanceof StrictJson.Number n)) {
                throw wrongKind(field + "[" + i + "]", "a number", items.get(i));
            }
            out[i] = (float) n.value();
        }
        return out;
    }

    private List<String> texts(String field) {
        List<?> items = list(field);
        if (items == null) {
            return null;
        }
        List<String> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item instanceof String s) {
                out.add(s);
            } else if (item instanceof StrictJson.Number n) {
                out.add(n.text());
            } else {
                throw wrongKind(field + "[" + i + "]", "text", item);
            }
        }
        return List.copyOf(out);
    }

    private List<?> list(String field) {
        Object value = members.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> items)) {
            throw wrongKind(field, "an array", value);
        }
        return items;
    }

    private String name(String field) {
        return path + field;
    }

    private IllegalArgumentException wrongKind(String field, String expected, Object value) {
        return new IllegalArgumentException(name(field) + " must be " + expected + ", was " + kind(value));
    }

    /** How a JSON value is called in a message. */
    static String kind(Object value) {
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof StrictJson.Number n) {
            return n.text();
        }
        return String.valueOf(value);
    }
}
