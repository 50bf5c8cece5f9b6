package io.linesight.api.frame;

/** Layout of the bytes in {@link Frame#pixels()}. */
public enum PixelFormat {
    /** 8 bits per channel, interleaved blue, green, red; the line's working format (OpenCV's default). */
    BGR24(3),
    /** 8 bits per channel, interleaved red, green, blue. */
    RGB24(3),
    /** 8 bits, one channel. */
    GRAY8(1);

    private final int bytesPerPixel;

    PixelFormat(int bytesPerPixel) {
        this.bytesPerPixel = bytesPerPixel;
    }

    public int bytesPerPixel() {
        return bytesPerPixel;
    }
}
