package io.linesight.camera.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.FrameListener;
import io.linesight.api.frame.FrameSource;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.frame.SourceState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConveyorCameraTest {

    private static ConveyorSettings settings(double rate) {
        return new ConveyorSettings("test", 320, 240, 50, rate, 7);
    }

    @Test
    void sameSeedGivesSamePartsAndPixels() {
        PartSpec a = PartSpec.draw(7, 12, 0.3);
        PartSpec b = PartSpec.draw(7, 12, 0.3);
        assertEquals(a, b);
        assertArrayEquals(new ConveyorRenderer(160, 120).render(a), new ConveyorRenderer(160, 120).render(b));
        assertNotEquals(PartSpec.draw(8, 12, 0.3), a);
    }

    @Test
    void defectRateIsHonouredOverManyParts() {
        long defects = java.util.stream.LongStream.rangeClosed(1, 5000)
                .filter(n -> PartSpec.draw(3, n, 0.2).defect() != DefectKind.NONE).count();
        assertTrue(defects > 850 && defects < 1150, "expected about 1000 defects in 5000 parts, got " + defects);
        assertEquals(0, java.util.stream.LongStream.rangeClosed(1, 500)
                .filter(n -> PartSpec.draw(3, n, 0).defect() != DefectKind.NONE).count());
    }

    @Test
    void defectChangesThePlateButNotTheBackground() {
        PartSpec ok = PartSpec.draw(5, 1, 0);
        PartSpec scratched = new PartSpec(ok.index(), DefectKind.SCRATCH, ok.offsetX(), ok.offsetY(),
                ok.rotationRad(), ok.scale(), ok.brightness(), ok.warmth(), ok.detailSeed());
        byte[] good = new ConveyorRenderer(320, 240).render(ok);
        byte[] bad = new ConveyorRenderer(320, 240).render(scratched);
        int changed = 0;
        for (int i = 0; i < good.length; i++) {
            if (Math.abs((good[i] & 0xFF) - (bad[i] & 0xFF)) > 30) {
                changed++;
            }
        }
        assertTrue(changed > 100, "a scratch must change visible pixels, changed " + changed);
        assertTrue(changed < good.length / 10, "a scratch must stay on the plate, changed " + changed);
        assertEquals(good[0], bad[0], "corner pixel is belt, unaffected by the defect");
    }

    @Test
    void subscriberReceivesNumberedFramesWithTruthUntilClosed() throws Exception {
        ConveyorCamera camera = new ConveyorCamera(settings(0.5));
        List<Frame> frames = new CopyOnWriteArrayList<>();
        List<SourceState> states = new CopyOnWriteArrayList<>();
        FrameSource.Subscription subscription = camera.subscribe(new FrameListener() {
            @Override
            public void onFrame(Frame frame) {
                frames.add(frame);
            }

            @Override
            public void onSourceState(SourceState state, String detail) {
                states.add(state);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (frames.size() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        subscription.close();
        assertEquals(SourceState.STOPPED, camera.state());
        int received = frames.size();
        assertTrue(received >= 10, "got " + received + " frames");
        for (int i = 0; i < 10; i++) {
            Frame f = frames.get(i);
            assertEquals(i + 1, f.sequence());
            assertEquals(PixelFormat.BGR24, f.format());
            assertEquals(PartSpec.draw(7, i + 1, 0.5).defect().label(), f.truth());
        }
        assertEquals(List.of(SourceState.STREAMING, SourceState.STOPPED), states);
        Thread.sleep(100);
        assertEquals(received, frames.size(), "no frames after the subscription is closed");
        camera.deactivate();
    }

    @Test
    void badSettingsAreRefusedWithThePropertyName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConveyorSettings("c", 320, 240, 0, 0.1, 1));
        assertTrue(e.getMessage().contains("partsPerSecond"), e.getMessage());
        assertFalse(assertThrows(IllegalArgumentException.class,
                () -> new ConveyorSettings("c", 320, 240, 5, 1.5, 1)).getMessage().isEmpty());
    }
}
