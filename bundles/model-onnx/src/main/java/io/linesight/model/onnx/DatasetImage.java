package io.linesight.model.onnx;

import io.linesight.api.frame.Frame;
import io.linesight.image.ImageDecodeException;
import io.linesight.image.ImageDecoder;
import java.nio.file.Path;

/**
 * Dataset image files as the BGR24 frames a camera would deliver, decoded by the runtime's one {@link ImageDecoder}:
 * the pixels torchvision's {@code ImageFolder} trains on ({@code Image.open(f).convert("RGB")}; its Javadoc says how
 * every mode is converted), and the pixels the folder camera, the gate and the upload check give for the same file.
 */
final class DatasetImage {

    /** Why an image (or its label file) cannot be used; the message is the reason shown in the report. */
    static final class UnreadableImageException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableImageException(String reason) {
            super(reason);
        }
    }

    private DatasetImage() {
    }

    /** Reads {@code file} into a BGR24 frame with the given sequence number and ground truth. */
    static Frame read(Path file, long sequence, String truth) throws UnreadableImageException {
        try {
            return ImageDecoder.decode(file, "eval", sequence, truth);
        } catch (ImageDecodeException e) {
            throw new UnreadableImageException(e.getMessage());
        }
    }
}
