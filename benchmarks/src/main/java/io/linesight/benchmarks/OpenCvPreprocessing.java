package io.linesight.benchmarks;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.linesight.api.frame.Frame;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The alternative the issue asks to measure: preprocessing with native OpenCV (through JavaCV's presets)
 * instead of the runner's fused Java pass. The frame's bytes are copied into native memory, resized with
 * {@code cv::resize(INTER_LINEAR)} (8-bit fixed-point arithmetic, results rounded to whole grey levels),
 * cropped or letterboxed, split into planes and scaled/normalised with {@code convertTo}. Mats are reused
 * between frames. Not thread-safe.
 */
final class OpenCvPreprocessing implements AutoCloseable {

    private final boolean letterbox;
    private final int outW;
    private final int outH;
    private final int resizeShorter;
    private final int fixedW;
    private final int fixedH;
    private final float[] alpha = new float[3];
    private final float[] beta = new float[3];
    private final float[] output;
    private final Mat source = new Mat();
    private final Mat resized = new Mat();
    private final Mat padded = new Mat();
    private final MatVector planes = new MatVector();
    private final Mat plane = new Mat();
    private Mat roi;

    OpenCvPreprocessing(JsonObject card) {
        JsonObject pre = card.getAsJsonObject("preprocessing");
        letterbox = pre.has("letterbox") && pre.get("letterbox").isJsonObject();
        double scale = pre.get("scale").getAsDouble();
        if (letterbox) {
            JsonObject lb = pre.getAsJsonObject("letterbox");
            outW = lb.get("width").getAsInt();
            outH = lb.get("height").getAsInt();
            resizeShorter = 0;
            fixedW = 0;
            fixedH = 0;
            for (int c = 0; c < 3; c++) {
                alpha[c] = (float) scale;
                beta[c] = 0;
            }
        } else {
            JsonObject input = card.getAsJsonObject("input");
            outW = input.get("width").getAsInt();
            outH = input.get("height").getAsInt();
            JsonObject resize = pre.getAsJsonObject("resize");
            boolean shorter = "shorter".equals(resize.get("mode").getAsString());
            resizeShorter = shorter ? resize.get("size").getAsInt() : 0;
            fixedW = shorter ? 0 : resize.get("width").getAsInt();
            fixedH = shorter ? 0 : resize.get("height").getAsInt();
            JsonArray mean = pre.getAsJsonArray("mean");
            JsonArray std = pre.getAsJsonArray("std");
            for (int c = 0; c < 3; c++) {
                alpha[c] = (float) (scale / std.get(c).getAsDouble());
                beta[c] = (float) (-mean.get(c).getAsDouble() / std.get(c).getAsDouble());
            }
        }
        output = new float[3 * outW * outH];
    }

    /** CHW float input, RGB planes, from a BGR24 frame. */
    float[] apply(Frame frame) {
        int w = frame.width();
        int h = frame.height();
        source.create(h, w, CV_8UC3);
        source.data().put(frame.pixels(), 0, w * h * 3); // the copy into native memory is part of the cost
        Mat fitted = letterbox ? letterboxed(w, h) : resizedAndCropped(w, h);
        split(fitted, planes);
        int planeSize = outW * outH;
        for (int c = 0; c < 3; c++) {
            planes.get(2 - c).convertTo(plane, CV_32F, alpha[c], beta[c]); // BGR planes -> RGB order
            new FloatPointer(plane.data()).get(output, c * planeSize, planeSize);
        }
        return output;
    }

    private Mat letterboxed(int w, int h) {
        double r = Math.min((double) outH / h, (double) outW / w);
        int rw = (int) Math.round(w * r);
        int rh = (int) Math.round(h * r);
        resize(source, resized, new Size(rw, rh), 0, 0, INTER_LINEAR);
        int top = (int) Math.round((outH - rh) / 2.0 - 0.1);
        int left = (int) Math.round((outW - rw) / 2.0 - 0.1);
        copyMakeBorder(resized, padded, top, outH - rh - top, left, outW - rw - left, BORDER_CONSTANT,
                new Scalar(114, 114, 114, 0));
        return padded;
    }

    private Mat resizedAndCropped(int w, int h) {
        int rw;
        int rh;
        if (resizeShorter > 0) {
            rw = w <= h ? resizeShorter : (int) ((long) resizeShorter * w / h);
            rh = w <= h ? (int) ((long) resizeShorter * h / w) : resizeShorter;
        } else {
            rw = fixedW;
            rh = fixedH;
        }
        resize(source, resized, new Size(rw, rh), 0, 0, INTER_LINEAR);
        if (rw == outW && rh == outH) {
            return resized;
        }
        int top = (int) Math.round((rh - outH) / 2.0);
        int left = (int) Math.round((rw - outW) / 2.0);
        if (roi != null) {
            roi.close();
        }
        roi = new Mat(resized, new Rect(left, top, outW, outH));
        return roi;
    }

    @Override
    public void close() {
        source.close();
        resized.close();
        padded.close();
        planes.close();
        plane.close();
        if (roi != null) {
            roi.close();
        }
    }
}
