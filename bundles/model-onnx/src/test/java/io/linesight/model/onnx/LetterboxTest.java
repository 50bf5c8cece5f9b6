package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LetterboxTest {

    @Test
    void wideFrameIsScaledToTheWidthAndPaddedTopAndBottom() {
        Letterbox lb = Letterbox.of(1280, 720, 640, 640);
        assertEquals(0.5, lb.scale(), 1e-12);
        assertEquals(640, lb.resizedW());
        assertEquals(360, lb.resizedH());
        assertEquals(0, lb.left());
        assertEquals(140, lb.top());
        assertEquals(640f, lb.frameX(320, 1280), 1e-4);
        assertEquals(360f, lb.frameY(320, 720), 1e-4);
    }

    @Test
    void oddPaddingPutsTheExtraRowAfterTheImageLikeYolov5() {
        Letterbox lb = Letterbox.of(320, 241, 640, 640); // r = 2, 640 x 482, 158 rows of padding
        assertEquals(482, lb.resizedH());
        assertEquals(79, lb.top());
        assertEquals(79.0, lb.padY(), 1e-9);
    }

    @Test
    void boxesOutsideTheImageAreClippedToTheFrame() {
        Letterbox lb = Letterbox.of(1280, 720, 640, 640);
        assertEquals(0f, lb.frameY(100, 720)); // inside the top padding
        assertEquals(720f, lb.frameY(600, 720)); // inside the bottom padding
    }
}
