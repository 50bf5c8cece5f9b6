package io.linesight.model.onnx;

/**
 * YOLOv5's letterbox: scale the frame to fit a square (or rectangular) input keeping its aspect ratio,
 * centre it, and pad the rest with a grey value. Also maps boxes from input pixels back to frame pixels.
 *
 * @param scale     input pixels per frame pixel
 * @param resizedW  width of the scaled frame inside the input
 * @param resizedH  height of the scaled frame inside the input
 * @param left      columns of padding on the left
 * @param top       rows of padding on top
 * @param padX      horizontal padding used to map boxes back (unrounded, as YOLOv5's scale_boxes)
 * @param padY      vertical padding used to map boxes back
 */
record Letterbox(double scale, int resizedW, int resizedH, int left, int top, double padX, double padY) {

    /** The letterbox of a {@code frameW x frameH} frame into a {@code inputW x inputH} input. */
    static Letterbox of(int frameW, int frameH, int inputW, int inputH) {
        double r = Math.min((double) inputH / frameH, (double) inputW / frameW);
        // YOLOv5: new_unpad = int(round(w * r)), Python's round (half to even) as Math.rint.
        int resizedW = (int) Math.rint(frameW * r);
        int resizedH = (int) Math.rint(frameH * r);
        double dw = (inputW - resizedW) / 2.0;
        double dh = (inputH - resizedH) / 2.0;
        // YOLOv5 rounds (d - 0.1) for the top/left border so odd padding puts the extra pixel after.
        int left = (int) Math.rint(dw - 0.1);
        int top = (int) Math.rint(dh - 0.1);
        return new Letterbox(r, resizedW, resizedH, left, top,
                (inputW - frameW * r) / 2.0, (inputH - frameH * r) / 2.0);
    }

    /** Frame x coordinate of an input x coordinate, clipped to the frame. */
    float frameX(float inputX, int frameW) {
        return clip((float) ((inputX - padX) / scale), frameW);
    }

    /** Frame y coordinate of an input y coordinate, clipped to the frame. */
    float frameY(float inputY, int frameH) {
        return clip((float) ((inputY - padY) / scale), frameH);
    }

    private static float clip(float v, int max) {
        return Math.max(0f, Math.min(max, v));
    }
}
