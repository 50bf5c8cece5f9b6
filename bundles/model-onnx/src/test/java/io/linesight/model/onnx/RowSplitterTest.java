package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class RowSplitterTest {

    @Test
    void everyRowIsDoneExactlyOnceAndHelpersDoPartOfIt() {
        try (RowSplitter splitter = new RowSplitter(3, "test")) {
            for (int rows : new int[] {1, 31, 64, 95, 96, 224, 719}) {
                AtomicIntegerArray done = new AtomicIntegerArray(rows);
                Set<Thread> threads = ConcurrentHashMap.newKeySet();
                splitter.forRows(rows, (from, to) -> {
                    threads.add(Thread.currentThread());
                    for (int r = from; r < to; r++) {
                        done.incrementAndGet(r);
                    }
                });
                for (int r = 0; r < rows; r++) {
                    assertEquals(1, done.get(r), "row " + r + " of " + rows);
                }
                // Below two parts' worth of rows no helper is asked; above, at least one helper takes a part
                // (one helper may take two parts when the other is slower to wake).
                if (rows < 64) {
                    assertEquals(Set.of(Thread.currentThread()), threads, rows + " rows ran on " + threads);
                } else {
                    assertTrue(threads.size() >= 2 && threads.contains(Thread.currentThread()), rows + " rows ran on " + threads);
                }
            }
        }
    }

    @Test
    void aSplitResampleIntoDirectMemoryEqualsTheSingleThreadedOneBitForBit() {
        Random random = new Random(3);
        byte[] frame = new byte[1280 * 720 * 3];
        random.nextBytes(frame);
        BilinearPlanes planes = new BilinearPlanes(BilinearPlanes.Axis.bilinear(1280, 398, 87, 224),
                BilinearPlanes.Axis.bilinear(720, 224, 0, 224));
        float[] gain = {1 / 58.4f, 1 / 57.1f, 1 / 57.4f};
        float[] shift = {2.1f, 2.0f, 1.8f};
        int[] bgrToRgb = {2, 1, 0};
        float[] single = new float[3 * 224 * 224];
        FloatBuffer direct = ByteBuffer.allocateDirect(4 * single.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        planes.resample(frame, 1280, bgrToRgb, EightBitPlanes.scaled(1 / 255.0), gain, shift, FloatBuffer.wrap(single), 0, 224 * 224, 224, RowSplitter.inline());
        try (RowSplitter splitter = new RowSplitter(2, "test")) {
            planes.resample(frame, 1280, bgrToRgb, EightBitPlanes.scaled(1 / 255.0), gain, shift, direct, 0, 224 * 224, 224, splitter);
        }
        float[] split = new float[single.length];
        direct.get(0, split);
        assertArrayEquals(single, split);
    }

    @Test
    void afterCloseTheWorkIsDoneOnTheCallingThreadAndTheHelpersAreGone() throws Exception {
        RowSplitter splitter = new RowSplitter(2, "closing");
        splitter.forRows(128, (from, to) -> { });
        splitter.close();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        splitter.forRows(128, (from, to) -> threads.add(Thread.currentThread().getName()));
        assertEquals(Set.of(Thread.currentThread().getName()), threads);
        Thread.sleep(200);
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("linesight-preprocess-closing") && t.isAlive()), "helper thread still alive");
    }

    @Test
    void aFailureInAHelpersPartReachesTheCaller() {
        try (RowSplitter splitter = new RowSplitter(2, "failing")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> splitter.forRows(128, (from, to) -> {
                if (from > 0) {
                    throw new IllegalArgumentException("bad rows " + from);
                }
            }));
            assertTrue(e.getMessage().startsWith("bad rows"), e.getMessage());
        }
    }
}
