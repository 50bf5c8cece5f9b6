package io.linesight.web;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.Verdict;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import io.linesight.image.ImageDecodeException;
import io.linesight.image.ImageDecoder;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Frames to pictures and pictures to frames: the dashboard's last frame with its verdict drawn on it (plain
 * Java2D, headless), and the uploaded images the upload check turns into frames (the shared decoder).
 */
final class FrameImages {

    /** Larger images are refused before they are decoded (a small file can hold a huge image). */
    static final long MAX_PIXELS = 40_000_000L;

    private FrameImages() {
    }

    /** The frame as a picture (a copy; the frame's pixels are never written). */
    static BufferedImage toImage(Frame f) {
        BufferedImage img = new BufferedImage(f.width(), f.height(),
                f.format() == PixelFormat.GRAY8 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        byte[] target = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] src = f.pixels();
        if (f.format() == PixelFormat.RGB24) {
            for (int i = 0; i + 2 < src.length; i += 3) {
                target[i] = src[i + 2];
                target[i + 1] = src[i + 1];
                target[i + 2] = src[i];
            }
        } else {
            System.arraycopy(src, 0, target, 0, src.length); // TYPE_3BYTE_BGR stores B, G, R: as BGR24
        }
        if (f.format() == PixelFormat.GRAY8) {
            BufferedImage color = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_3BYTE_BGR);
            color.getGraphics().drawImage(img, 0, 0, null);
            return color;
        }
        return img;
    }

    /** The frame with the verdict, best class and boxes drawn on it, as JPEG. */
    static byte[] annotatedJpeg(Frame frame, InspectionEvent event) {
        BufferedImage img = toImage(frame);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            if (event.result() instanceof Detections d) {
                drawBoxes(g, d, Math.max(1f, img.getWidth() / 320f));
            }
            drawBanner(g, img.getWidth(), event);
        } finally {
            g.dispose();
        }
        return jpeg(img);
    }

    private static void drawBoxes(Graphics2D g, Detections d, float scale) {
        g.setStroke(new BasicStroke(2 * scale));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.round(11 * scale)));
        for (Detection det : d.objects()) {
            g.setColor(Color.YELLOW);
            int x = Math.round(det.x1());
            int y = Math.round(det.y1());
            g.drawRect(x, y, Math.round(det.x2() - det.x1()), Math.round(det.y2() - det.y1()));
            g.drawString(det.label() + " " + String.format(Locale.ROOT, "%.2f", det.confidence()), x + 2,
                    Math.max(y - 3, g.getFontMetrics().getAscent()));
        }
    }

    private static void drawBanner(Graphics2D g, int width, InspectionEvent e) {
        int size = Math.max(11, width / 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
        int height = g.getFontMetrics().getHeight() + 6;
        g.setColor(colour(e.verdict()));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.drawString(e.verdict().name() + "  " + Json.summary(e.result()) + "  #" + e.sequence(), 4, height - 4 - g.getFontMetrics().getDescent());
    }

    static Color colour(Verdict v) {
        return switch (v) {
            case PASS -> new Color(0x1e7d32);
            case REJECT -> new Color(0xc62828);
            case REVIEW -> new Color(0xb26a00);
        };
    }

    static byte[] jpeg(BufferedImage img) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(img.getWidth() * img.getHeight() / 4 + 1024)) {
            if (!ImageIO.write(img, "jpg", out)) {
                throw new IllegalStateException("this Java has no JPEG writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An uploaded image as a BGR24 frame, decoded by the runtime's one {@link ImageDecoder}: the pixels a folder
     * camera, the gate and {@code model:eval} give for the same file. 415 when the bytes are not an image Java can
     * read (PNG, JPEG, GIF, BMP), 413 when it has more than {@link #MAX_PIXELS} pixels.
     */
    static Frame decode(byte[] bytes, String name) throws ApiException {
        try {
            return ImageDecoder.decode(bytes, MAX_PIXELS, "upload:" + name, 1, null);
        } catch (ImageDecodeException e) {
            throw switch (e.reason()) {
                case NOT_AN_IMAGE -> new ApiException(415, "'" + name
                        + "' is not an image this runtime can read: send PNG, JPEG, GIF or BMP");
                case TOO_LARGE -> new ApiException(413, "'" + name + "' is " + e.getMessage());
                default -> new ApiException(415, "'" + name + "' could not be read as an image: " + e.getMessage()
                        + "; send an intact PNG, JPEG, GIF or BMP");
            };
        }
    }
}
