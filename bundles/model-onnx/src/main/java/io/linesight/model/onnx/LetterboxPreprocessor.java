package io.linesight.model.onnx;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;

/**
 * Turns a camera frame into a YOLOv5 input: letterbox (bilinear resize keeping the aspect ratio,
 * centred, grey padding), RGB, scaled to [0, 1], NCHW. The output array and the interpolation tables are
 * reused between frames of the same size: one instance per model, one thread at a time.
 */
final class LetterboxPreprocessor {

    private final int inputW;
    private final int inputH;
    private final float pad;
    private final float[] output;
    private int cachedW;
    private int cachedH;
    private Letterbox letterbox;
    private ClassifierPreprocessor.Axis xAxis;
    private ClassifierPreprocessor.Axis yAxis;

    LetterboxPreprocessor(ModelCard.LetterboxSpec spec) {
        this.inputW = spec.width();
        this.inputH = spec.height();
        this.pad = spec.padValue() / 255f;
        this.output = new float[3 * inputW * inputH];
    }

    int size() {
        return output.length;
    }

    /** The letterbox of the last frame, for mapping boxes back. */
    Letterbox letterbox() {
        return letterbox;
    }

    /** Fills and returns the reused input array (RGB planes). */
    float[] apply(Frame frame) {
        if (frame.format() == PixelFormat.GRAY8) {
            throw new IllegalArgumentException("detector needs a colour frame, got GRAY8");
        }
        prepare(frame.width(), frame.height());
        java.util.Arrays.fill(output, pad);
        int[] offsets = frame.format() == PixelFormat.BGR24 ? new int[] {2, 1, 0} : new int[] {0, 1, 2};
        int plane = inputW * inputH;
        for (int c = 0; c < 3; c++) {
            fillPlane(frame.pixels(), frame.width(), offsets[c], c * plane);
        }
        return output;
    }

    private void fillPlane(byte[] pixels, int frameW, int channelOffset, int base) {
        int rowStride = frameW * 3;
        for (int y = 0; y < letterbox.resizedH(); y++) {
            int row0 = yAxis.low[y] * rowStride;
            int row1 = yAxis.high[y] * rowStride;
            float wy1 = yAxis.highWeight[y];
            float wy0 = 1f - wy1;
            int out = base + (y + letterbox.top()) * inputW + letterbox.left();
            for (int x = 0; x < letterbox.resizedW(); x++) {
                int col0 = xAxis.low[x] * 3 + channelOffset;
                int col1 = xAxis.high[x] * 3 + channelOffset;
                float wx1 = xAxis.highWeight[x];
                float wx0 = 1f - wx1;
                float top = wx0 * (pixels[row0 + col0] & 0xFF) + wx1 * (pixels[row0 + col1] & 0xFF);
                float bottom = wx0 * (pixels[row1 + col0] & 0xFF) + wx1 * (pixels[row1 + col1] & 0xFF);
                output[out + x] = (wy0 * top + wy1 * bottom) / 255f;
            }
        }
    }

    private void prepare(int frameW, int frameH) {
        if (frameW == cachedW && frameH == cachedH) {
            return;
        }
        letterbox = Letterbox.of(frameW, frameH, inputW, inputH);
        xAxis = ClassifierPreprocessor.Axis.bilinear(frameW, letterbox.resizedW(), 0, letterbox.resizedW());
        yAxis = ClassifierPreprocessor.Axis.bilinear(frameH, letterbox.resizedH(), 0, letterbox.resizedH());
        cachedW = frameW;
        cachedH = frameH;
    }
}
