package io.linesight.model.deploy;

import io.linesight.api.frame.Frame;
import io.linesight.image.ImageDecodeException;
import io.linesight.image.ImageDecoder;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Golden images (PNG, JPEG) as the BGR24 frames a camera would deliver, decoded by the runtime's one
 * {@link ImageDecoder}: the gate scores the pixels training, the folder camera and {@code model:eval} see.
 */
final class GoldenImages {

    static final String SOURCE_ID = "golden";

    private GoldenImages() {
    }

    /**
     * Decodes {@code image} into a BGR24 frame numbered {@code sequence}.
     *
     * @throws IOException when the file cannot be read or decoded; the message is the decoder's reason
     */
    static Frame bgrFrame(Path image, long sequence) throws IOException {
        try {
            return ImageDecoder.decode(image, SOURCE_ID, sequence, null);
        } catch (ImageDecodeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
