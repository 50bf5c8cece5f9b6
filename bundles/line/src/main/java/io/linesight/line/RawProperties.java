package io.linesight.line;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a line's configuration as the file wrote it, before Declarative Services turns it into typed values: a
 * number that is not a number ({@code reject.minConfidence=abc}) is refused by name instead of becoming a default,
 * and a key the line does not know ({@code rejct.minConfidence}) is reported with the nearest known one. Pure.
 */
final class RawProperties {

    /** Keys the framework adds, and reference targets, which are not the line's business. */
    private static final Set<String> FRAMEWORK_KEYS = Set.of("service.pid", "service.factoryPid", "service.bundleLocation",
            "felix.fileinstall.filename", "component.name", "component.id", "service.vendor", "service.ranking");
    /** Property name to its type, from {@link LineConfig}'s methods (DS maps {@code _} to {@code .}). */
    private static final Map<String, Class<?>> KNOWN = known();

    private RawProperties() {
    }

    /** Problems that refuse the configuration: values that are not of their property's type. */
    static List<String> problems(Map<String, ?> properties) {
        List<String> problems = new ArrayList<>();
        properties.forEach((key, value) -> {
            Class<?> type = KNOWN.get(key);
            if (type != null && value instanceof String text && !parses(type, text.trim())) {
                problems.add(key + "=" + text + " is not " + (type == int.class || type == long.class ? "a whole number"
                        : type == boolean.class ? "true or false" : "a number") + " (write it like " + example(type) + ")");
            }
        });
        return problems;
    }

    /** One sentence per key the line does not know, naming the nearest known key. */
    static List<String> unknownKeys(Map<String, ?> properties) {
        List<String> unknown = new ArrayList<>();
        for (String key : properties.keySet()) {
            if (!KNOWN.containsKey(key) && !FRAMEWORK_KEYS.contains(key) && !key.endsWith(".target")) {
                unknown.add("unknown property '" + key + "' is ignored; did you mean '" + nearest(key) + "'?");
            }
        }
        return unknown;
    }

    /** The file the configuration came from (FileInstall says), for messages; empty when unknown. */
    static String file(Map<String, ?> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        return file == null ? "" : String.valueOf(file).replaceFirst("^file:", "");
    }

    private static boolean parses(Class<?> type, String text) {
        try {
            if (type == double.class) {
                Double.parseDouble(text);
            } else if (type == long.class) {
                Long.parseLong(text);
            } else if (type == int.class) {
                Integer.parseInt(text);
            } else if (type == boolean.class) {
                return "true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text);
            }
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String example(Class<?> type) {
        return type == double.class ? "0.65" : type == boolean.class ? "false" : "2000";
    }

    static String nearest(String key) {
        String best = "";
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : KNOWN.keySet()) {
            int d = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
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
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    private static Map<String, Class<?>> known() {
        Map<String, Class<?>> known = new LinkedHashMap<>();
        for (Method m : LineConfig.class.getDeclaredMethods()) {
            known.put(m.getName().replace("__", "\u0000").replace('_', '.').replace('\u0000', '_'), m.getReturnType());
        }
        return known;
    }
}
