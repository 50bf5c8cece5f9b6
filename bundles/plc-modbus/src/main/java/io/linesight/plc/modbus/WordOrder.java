package io.linesight.plc.modbus;

/**
 * How a 32-bit value is spread over two consecutive 16-bit registers (configuration property
 * {@code wordOrder}). Within each register the bytes are always big-endian, as Modbus prescribes.
 */
enum WordOrder {
    /** High word in the lower address ("ABCD", big-endian word order): Siemens, Rockwell, most PLCs. */
    HIGH_FIRST,
    /** Low word in the lower address ("CDAB", word-swapped): common on Schneider and some others. */
    LOW_FIRST;

    /** Puts {@code value} modulo 2^32 into {@code words[offset]} and {@code words[offset + 1]}. */
    void put(int[] words, int offset, long value) {
        int high = (int) ((value >>> 16) & 0xFFFF);
        int low = (int) (value & 0xFFFF);
        words[offset] = this == HIGH_FIRST ? high : low;
        words[offset + 1] = this == HIGH_FIRST ? low : high;
    }

    /** The two words of {@link #put}, in address order. */
    int[] words(long value) {
        int[] words = new int[2];
        put(words, 0, value);
        return words;
    }

    /** What a PLC reading the two registers in this order computes: the unsigned 32-bit value. */
    long join(int first, int second) {
        int high = this == HIGH_FIRST ? first : second;
        int low = this == HIGH_FIRST ? second : first;
        return ((long) (high & 0xFFFF) << 16) | (low & 0xFFFF);
    }

    /** Parses the configuration value; null when it is neither name (the caller names the property). */
    static WordOrder parse(String value) {
        if (value == null) {
            return null;
        }
        for (WordOrder order : values()) {
            if (order.name().equalsIgnoreCase(value.trim())) {
                return order;
            }
        }
        return null;
    }
}
