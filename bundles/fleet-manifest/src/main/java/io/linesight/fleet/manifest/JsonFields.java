package io.linesight.fleet.manifest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed, checked access to the fields of one JSON object, each refusal one sentence naming the field by its
 * full path ({@code model.sha256}, {@code urls[1]}). Unknown fields are refused as soon as the object is opened,
 * so a misspelt field is reported as the typo it is rather than as the field it was meant to be missing.
 */
final class JsonFields {

    private final JsonObject object;
    private final String prefix;
    private final ManifestException.Reason reason;

    private JsonFields(JsonObject object, String prefix, ManifestException.Reason reason) {
        this.object = object;
        this.prefix = prefix;
        this.reason = reason;
    }

    /** Opens {@code value} (found at {@code path}, "" for the top) as an object holding only {@code known} fields. */
    static JsonFields open(JsonElement value, String path, List<String> known, ManifestException.Reason reason)
            throws ManifestException {
        JsonFields fields = openAny(value, path, reason);
        for (String name : fields.object.keySet()) {
            if (!known.contains(name)) {
                throw fields.refused("Unknown field '" + Checks.shown(fields.path(name))
                        + "': the nearest known field is '" + nearest(name, known) + "' (known here: "
                        + String.join(", ", known) + ").");
            }
        }
        return fields;
    }

    /** Opens {@code value} as an object whatever fields it holds: to read the one field that says how to read it. */
    static JsonFields openAny(JsonElement value, String path, ManifestException.Reason reason)
            throws ManifestException {
        if (!value.isJsonObject()) {
            String subject = path.isEmpty() ? "The document" : "Field '" + path + "'";
            throw new ManifestException(reason, subject + " must be a JSON object, not " + typeOf(value) + ".");
        }
        return new JsonFields(value.getAsJsonObject(), path.isEmpty() ? "" : path + ".", reason);
    }

    boolean has(String name) {
        return object.has(name);
    }

    /** The full path of a field of this object, as messages name it. */
    String path(String name) {
        return prefix + name;
    }

    ManifestException refused(String sentence) {
        return new ManifestException(reason, sentence);
    }

    JsonFields object(String name, List<String> known) throws ManifestException {
        return open(required(name), path(name), known, reason);
    }

    String string(String name) throws ManifestException {
        return string(required(name), path(name));
    }

    Optional<String> optionalString(String name) throws ManifestException {
        return has(name) ? Optional.of(string(name)) : Optional.empty();
    }

    boolean bool(String name) throws ManifestException {
        JsonElement value = required(name);
        if (!(value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean())) {
            throw wrongType(path(name), "true or false", value);
        }
        return value.getAsBoolean();
    }

    long wholeNumber(String name) throws ManifestException {
        BigDecimal number = number(name);
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            throw refused("Field '" + path(name) + "' must be a whole number, not " + number + ".");
        }
    }

    int wholeInt(String name) throws ManifestException {
        long value = wholeNumber(name);
        if (value != (int) value) {
            throw refused("Field '" + path(name) + "' is " + value + ", far out of range.");
        }
        return (int) value;
    }

    double decimal(String name) throws ManifestException {
        double value = number(name).doubleValue();
        if (!Double.isFinite(value)) {
            throw refused("Field '" + path(name) + "' is far out of range.");
        }
        return value;
    }

    /** A list of strings; the list may be empty here, the record decides whether that is allowed. */
    List<String> strings(String name) throws ManifestException {
        JsonElement value = required(name);
        if (!value.isJsonArray()) {
            throw wrongType(path(name), "a list", value);
        }
        JsonArray array = value.getAsJsonArray();
        List<String> strings = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            strings.add(string(array.get(i), path(name) + "[" + i + "]"));
        }
        return strings;
    }

    private BigDecimal number(String name) throws ManifestException {
        JsonElement value = required(name);
        if (!(value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber())) {
            throw wrongType(path(name), "a number", value);
        }
        return (BigDecimal) value.getAsJsonPrimitive().getAsNumber();
    }

    private String string(JsonElement value, String path) throws ManifestException {
        if (!(value.isJsonPrimitive() && value.getAsJsonPrimitive().isString())) {
            throw wrongType(path, "a string", value);
        }
        return value.getAsString();
    }

    private JsonElement required(String name) throws ManifestException {
        JsonElement value = object.get(name);
        if (value == null) {
            throw refused("Required field '" + path(name) + "' is missing.");
        }
        return value;
    }

    private ManifestException wrongType(String path, String expected, JsonElement value) {
        return refused("Field '" + path + "' must be " + expected + ", not " + typeOf(value) + ".");
    }

    static String typeOf(JsonElement value) {
        if (value.isJsonNull()) {
            return "null";
        }
        if (value.isJsonObject()) {
            return "an object";
        }
        if (value.isJsonArray()) {
            return "a list";
        }
        JsonPrimitive primitive = value.getAsJsonPrimitive();
        return primitive.isString() ? "a string" : primitive.isBoolean() ? "true/false" : "a number";
    }

    /** The known name fewest single-character edits away from {@code name}; the first one listed on a tie. */
    static String nearest(String name, List<String> known) {
        String best = known.get(0);
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance, two rows. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
