package io.linesight.model.deploy;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import javax.imageio.ImageIO;

/** Golden images (PNG, JPEG) as the BGR24 frames a camera would deliver. */
final class GoldenImages {

    static final String SOURCE_ID = "golden";

    private GoldenImages() {
    }

    /**
     * Decodes {@code image} into a BGR24 frame numbered {@code sequence}.
     *
     * @throws IOException when the file cannot be read or is not an image ImageIO decodes
     */
    static Frame bgrFrame(Path image, long sequence) throws IOException {
        BufferedImage decoded = ImageIO.read(image.toFile());
        if (decoded == null) {
            throw new IOException("not a PNG or JPEG image");
        }
        BufferedImage bgr = new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = bgr.createGraphics();
        try {
            g.drawImage(decoded, 0, 0, null);
        } finally {
            g.dispose();
        }
        byte[] pixels = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        return new Frame(SOURCE_ID, sequence, System.nanoTime(), Instant.now(), bgr.getWidth(), bgr.getHeight(),
                PixelFormat.BGR24, pixels, null);
    }
}
