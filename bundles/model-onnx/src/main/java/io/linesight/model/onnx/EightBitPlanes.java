package io.linesight.model.onnx;

import java.nio.FloatBuffer;

/**
 * The last step of every 8-bit recipe: an interleaved 8-bit image (the resized, cropped or letterboxed window)
 * into the model's float planes, each value looked up in a table made once per model with torchvision's own
 * arithmetic: {@code ToTensor} ({@code v / 255} in float32) then {@code Normalize} ({@code (x - mean) / std} in
 * float32). A table lookup is both exact and cheaper than the arithmetic per value.
 */
final class EightBitPlanes {

    /** value[c][v]: the float the model gets for 8-bit value v in its channel c. */
    private final float[][] value = new float[3][256];

    /**
     * @param scale factor from 8-bit values to the model's range; 1/255 is done as torchvision's division by 255
     * @param mean  per model channel, or null for none (detectors)
     * @param std   per model channel, or null for none
     */
    EightBitPlanes(double scale, float[] mean, float[] std) {
        float[] scaled = scaled(scale);
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                float x = scaled[v];
                if (mean != null) {
                    x = (x - mean[c]) / std[c];
                }
                value[c][v] = x;
            }
        }
    }

    /** The float of each 8-bit value after ToTensor: {@code v / 255} in float32 for 1/255, else {@code v * scale}. */
    static float[] scaled(double scale) {
        boolean toTensor = Math.abs(scale - 1 / 255.0) < 1e-12;
        float[] values = new float[256];
        for (int v = 0; v < 256; v++) {
            values[v] = toTensor ? v / 255f : (float) (v * scale);
        }
        return values;
    }

    /** The float of 8-bit value {@code v} in model channel {@code c} (for padding). */
    float of(int c, int v) {
        return value[c][v];
    }

    /**
     * Writes a {@code width x height} interleaved window into {@code out}: model channel {@code c} reads byte
     * {@code channelOffsets[c]} of each pixel and goes to plane {@code c}, which starts at
     * {@code planeBase + c * planeSize}; row {@code y} of a plane starts {@code y * rowStride} further.
     */
    void write(byte[] window, int width, int height, int[] channelOffsets, FloatBuffer out, int planeBase,
               int planeSize, int rowStride) {
        float[] row = new float[width];
        for (int c = 0; c < 3; c++) {
            float[] table = value[c];
            int offset = channelOffsets[c];
            for (int y = 0; y < height; y++) {
                for (int x = 0, p = y * width * 3 + offset; x < width; x++, p += 3) {
                    row[x] = table[window[p] & 0xFF];
                }
                out.put(planeBase + c * planeSize + y * rowStride, row, 0, width);
            }
        }
    }
}
