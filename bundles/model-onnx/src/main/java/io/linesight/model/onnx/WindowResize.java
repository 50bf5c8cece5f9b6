package io.linesight.model.onnx;

/**
 * One library's resize of an interleaved 8-bit, 3-channel image, computed only over the window a later crop
 * keeps and written as 8-bit values, interleaved, in the source's channel order. Implementations are plans built
 * for one source size ({@link Window#resizedW()} etc. fixed at construction) and reused frame after frame, by one
 * thread at a time.
 */
interface WindowResize {

    /** The resized size and the part of it this plan writes. */
    Window window();

    /**
     * Writes the window of the resized image into {@code out} ({@code window().width() * window().height() * 3}
     * bytes, row after row).
     *
     * @param pixels interleaved source pixels, {@code frameW * 3} bytes per row
     */
    void resize(byte[] pixels, int frameW, byte[] out);

    /**
     * The image resized to {@code resizedW x resizedH}, of which the {@code width x height} window at
     * ({@code left}, {@code top}) is kept.
     */
    record Window(int resizedW, int resizedH, int left, int top, int width, int height) {

        public Window {
            if (left < 0 || top < 0 || width <= 0 || height <= 0 || left + width > resizedW || top + height > resizedH) {
                throw new IllegalArgumentException("window " + width + "x" + height + " at (" + left + ", " + top
                        + ") does not fit in " + resizedW + "x" + resizedH);
            }
        }

        /** The whole resized image. */
        static Window whole(int resizedW, int resizedH) {
            return new Window(resizedW, resizedH, 0, 0, resizedW, resizedH);
        }
    }
}
