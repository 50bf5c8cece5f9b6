package io.linesight.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.Verdict;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FrameImagesTest {

    private static Frame grey(long sequence, PixelFormat format) {
        byte[] px = new byte[320 * 240 * format.bytesPerPixel()];
        Arrays.fill(px, (byte) 0x80);
        return new Frame("conveyor", sequence, System.nanoTime(), Instant.now(), 320, 240, format, px, null);
    }

    @Test
    void theLastFrameIsAJpegWithTheVerdictBannerInItsColour() throws Exception {
        InspectionEvent reject = Fakes.event("default", 7, Verdict.REJECT, 0.97f, 12);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(FrameImages.annotatedJpeg(grey(7, PixelFormat.BGR24), reject)));
        assertEquals(320, img.getWidth());
        assertEquals(240, img.getHeight());
        Color banner = new Color(img.getRGB(310, 3));
        assertTrue(banner.getRed() > 150 && banner.getGreen() < 80, "red banner for REJECT: " + banner);
        Color below = new Color(img.getRGB(160, 200));
        assertTrue(Math.abs(below.getRed() - 0x80) < 12 && Math.abs(below.getBlue() - 0x80) < 12, "the frame itself: " + below);
    }

    @Test
    void rgbFramesAreSwappedIntoPlace() {
        byte[] px = {(byte) 255, 0, 0}; // one red pixel in RGB24
        Frame f = new Frame("c", 1, 0, Instant.now(), 1, 1, PixelFormat.RGB24, px, null);
        assertEquals(0xff0000, FrameImages.toImage(f).getRGB(0, 0) & 0xffffff);
        Frame g = new Frame("c", 1, 0, Instant.now(), 1, 1, PixelFormat.GRAY8, new byte[] {(byte) 200}, null);
        assertEquals(0xc8c8c8, FrameImages.toImage(g).getRGB(0, 0) & 0xffffff);
    }

    @Test
    void aLineTrackEncodesAtMostOncePerIntervalAndOnlyWhenTheFrameChanged() {
        LineTrack t = new LineTrack(5, 500);
        assertEquals(null, t.jpeg(0));
        t.frame(grey(1, PixelFormat.BGR24), Fakes.event("default", 1, Verdict.PASS, 0.1f, 5));
        LineTrack.Jpeg first = t.jpeg(1_000_000_000L);
        assertEquals(1, first.sequence());
        assertSame(first, t.jpeg(1_100_000_000L), "same frame: no new encoding");
        t.frame(grey(2, PixelFormat.BGR24), Fakes.event("default", 2, Verdict.REJECT, 0.9f, 5));
        assertSame(first, t.jpeg(1_200_000_000L), "new frame within the interval: the previous picture");
        LineTrack.Jpeg second = t.jpeg(1_600_000_000L);
        assertNotSame(first, second);
        assertEquals(2, second.sequence());
    }
}
