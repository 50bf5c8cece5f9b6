package io.linesight.plc.simulator;

/**
 * Modbus data layouts: coils travel eight to a byte, lowest address in the lowest bit; registers
 * travel as 16-bit big-endian words.
 */
final class Packing {

    private Packing() {
    }

    static byte[] packBits(boolean[] bits) {
        byte[] out = new byte[(bits.length + 7) / 8];
        for (int i = 0; i < bits.length; i++) {
            if (bits[i]) {
                out[i / 8] |= (byte) (1 << (i % 8));
            }
        }
        return out;
    }

    static boolean[] unpackBits(byte[] bytes, int quantity) {
        boolean[] out = new boolean[quantity];
        for (int i = 0; i < quantity; i++) {
            out[i] = (bytes[i / 8] & (1 << (i % 8))) != 0;
        }
        return out;
    }

    static byte[] wordsToBytes(int[] words) {
        byte[] out = new byte[words.length * 2];
        for (int i = 0; i < words.length; i++) {
            out[2 * i] = (byte) (words[i] >>> 8);
            out[2 * i + 1] = (byte) words[i];
        }
        return out;
    }

    static int[] bytesToWords(byte[] bytes, int quantity) {
        int[] out = new int[quantity];
        for (int i = 0; i < quantity; i++) {
            out[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
        }
        return out;
    }
}
