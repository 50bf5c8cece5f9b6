package io.linesight.fleet.manifest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads JSON the way a signed document must be read: strict syntax, UTF-8 only, one value, no key twice (two
 * parsers could otherwise disagree on which value was signed), bounded size and nesting (the bytes may come
 * from anyone on the broker before the signature is checked).
 */
final class StrictJson {

    /** The manifest's own shape is four levels deep; anything much deeper is not a manifest. */
    private static final int MAX_DEPTH = 8;
    private static final Pattern POSITION = Pattern.compile(" at line (\\d+) column (\\d+)");

    private StrictJson() {
    }

    /**
     * The JSON value in {@code bytes}.
     *
     * @param what what the bytes should be, for messages ("The manifest")
     * @throws ManifestException with {@code reason} when the bytes are too long or not one strict JSON value
     */
    static JsonElement read(byte[] bytes, int maxBytes, String what, ManifestException.Reason reason)
            throws ManifestException {
        if (bytes.length > maxBytes) {
            throw new ManifestException(reason, what + " is " + bytes.length + " bytes, more than the " + maxBytes
                    + " bytes allowed.");
        }
        String text = utf8(bytes, what, reason);
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement value = value(reader, 0, "", what, reason);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ManifestException(reason, what + " has more after its JSON value.");
            }
            return value;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            String problem = syntaxError(e.getMessage());
            throw new ManifestException(reason, what + " is not valid JSON: " + problem + ".", e);
        }
    }

    private static String utf8(byte[] bytes, String what, ManifestException.Reason reason) throws ManifestException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ManifestException(reason, what + " is not UTF-8 text.", e);
        }
    }

    private static JsonElement value(JsonReader reader, int depth, String path, String what,
            ManifestException.Reason reason) throws IOException, ManifestException {
        if (depth > MAX_DEPTH) {
            throw new ManifestException(reason, what + " nests deeper than " + MAX_DEPTH + " levels at '" + path
                    + "'.");
        }
        switch (reader.peek()) {
            case BEGIN_OBJECT:
                return object(reader, depth, path, what, reason);
            case BEGIN_ARRAY:
                return array(reader, depth, path, what, reason);
            case STRING:
                return new JsonPrimitive(reader.nextString());
            case NUMBER:
                // kept exact: a whole number stays whole, nothing is rounded before the range checks. Gson in strict
                // mode refuses a number longer than its 1 KiB buffer, so this never parses a huge one.
                return new JsonPrimitive(new BigDecimal(reader.nextString()));
            case BOOLEAN:
                return new JsonPrimitive(reader.nextBoolean());
            case NULL:
                reader.nextNull();
                return JsonNull.INSTANCE;
            default:
                throw new ManifestException(reason, what + " has an unexpected " + reader.peek() + " at '" + path
                        + "'.");
        }
    }

    private static JsonObject object(JsonReader reader, int depth, String path, String what,
            ManifestException.Reason reason) throws IOException, ManifestException {
        JsonObject object = new JsonObject();
        reader.beginObject();
        while (reader.hasNext()) {
            String name = reader.nextName();
            String childPath = path.isEmpty() ? name : path + "." + name;
            if (object.has(name)) {
                throw new ManifestException(reason, what + " has field '" + childPath
                        + "' twice; each field may appear once.");
            }
            object.add(name, value(reader, depth + 1, childPath, what, reason));
        }
        reader.endObject();
        return object;
    }

    private static JsonArray array(JsonReader reader, int depth, String path, String what,
            ManifestException.Reason reason) throws IOException, ManifestException {
        JsonArray array = new JsonArray();
        reader.beginArray();
        while (reader.hasNext()) {
            array.add(value(reader, depth + 1, path + "[" + array.size() + "]", what, reason));
        }
        reader.endArray();
        return array;
    }

    /**
     * Gson's syntax message, reworded for an operator: Gson appends a troubleshooting link and, in strict mode,
     * advises a lenient setting, which is a programmer's remedy; the operator needs what and where.
     */
    static String syntaxError(String message) {
        if (message == null) {
            return "unreadable";
        }
        Matcher position = POSITION.matcher(message);
        if (!position.find()) {
            int see = message.indexOf("\nSee ");
            return see < 0 ? message : message.substring(0, see);
        }
        String what = message.substring(0, position.start());
        if (what.startsWith("Use JsonReader.setStrictness")) {
            what = "a syntax error (strings in double quotes, no comments, no trailing commas, one value only)";
        }
        return what + " at line " + position.group(1) + " column " + position.group(2);
    }
}
