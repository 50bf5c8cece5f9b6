package io.linesight.plc.modbus;

/**
 * The model version as three registers a PLC can compare: major, minor, patch. A model package version
 * is free text, so the rule is lenient and written down in the register map: an optional leading
 * {@code v}, then up to three dot-separated numbers, each read up to its first non-digit
 * ({@code 1.4.2-rc1} is 1, 4, 2; {@code 2024.11} is 2024, 11, 0). A number above 65534 reads 65534.
 * A version that does not start with a number reads {@value #UNKNOWN} in all three registers.
 */
final class ModelVersion {

    /** All three registers when the version is not numeric. */
    static final int UNKNOWN = 0xFFFF;
    private static final int MAX_PART = 0xFFFE;

    private ModelVersion() {
    }

    /** {major, minor, patch}. */
    static int[] encode(String version) {
        String text = version == null ? "" : version.trim();
        if (text.startsWith("v") || text.startsWith("V")) {
            text = text.substring(1);
        }
        String[] parts = text.split("\\.", 4);
        if (leadingNumber(parts[0]) < 0) {
            return new int[] {UNKNOWN, UNKNOWN, UNKNOWN};
        }
        int[] words = new int[3];
        for (int i = 0; i < 3 && i < parts.length; i++) {
            words[i] = Math.max(0, leadingNumber(parts[i]));
        }
        return words;
    }

    /** The digits at the start of {@code part}, capped at 65534; -1 if it starts with none. */
    private static int leadingNumber(String part) {
        long value = -1;
        for (int i = 0; i < part.length() && part.charAt(i) >= '0' && part.charAt(i) <= '9'; i++) {
            value = Math.min(MAX_PART, Math.max(value, 0) * 10 + (part.charAt(i) - '0'));
        }
        return (int) value;
    }
}
