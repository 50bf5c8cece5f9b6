package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.linesight.api.model.Detection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class YoloDecoderTest {

    private static final Letterbox IDENTITY = Letterbox.of(640, 640, 640, 640);
    private final YoloDecoder decoder = new YoloDecoder(List.of("product", "gap"), 0.25f, 0.45f, 300);

    /** One output row: centre, size, objectness, class scores. */
    private static float[] row(float cx, float cy, float w, float h, float obj, float... classes) {
        float[] r = new float[5 + classes.length];
        r[0] = cx;
        r[1] = cy;
        r[2] = w;
        r[3] = h;
        r[4] = obj;
        System.arraycopy(classes, 0, r, 5, classes.length);
        return r;
    }

    private static float[] rows(float[]... rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
        }
        return out;
    }

    @Test
    void confidenceIsObjectnessTimesClassScoreAndBoxesAreCorners() {
        List<Detection> d = decoder.decode(rows(row(100, 200, 40, 20, 0.9f, 0.8f, 0.1f)), 1, IDENTITY, 640, 640);
        assertEquals(1, d.size());
        assertEquals("product", d.get(0).label());
        assertEquals(0.72f, d.get(0).confidence(), 1e-6);
        assertEquals(80f, d.get(0).x1(), 1e-4);
        assertEquals(190f, d.get(0).y1(), 1e-4);
        assertEquals(120f, d.get(0).x2(), 1e-4);
        assertEquals(210f, d.get(0).y2(), 1e-4);
    }

    @Test
    void lowObjectnessOrLowConfidenceIsDropped() {
        float[] out = rows(row(100, 100, 10, 10, 0.2f, 1f, 0f), row(100, 100, 10, 10, 0.9f, 0.2f, 0.1f));
        assertEquals(0, decoder.decode(out, 2, IDENTITY, 640, 640).size());
    }

    @Test
    void overlappingBoxesOfOneClassKeepTheMostConfidentButOtherClassesSurvive() {
        float[] out = rows(
                row(100, 100, 50, 50, 0.8f, 0.9f, 0f),   // product 0.72
                row(105, 100, 50, 50, 0.9f, 0.9f, 0f),   // product 0.81, overlaps the first (IoU 0.82)
                row(105, 100, 50, 50, 0.9f, 0f, 0.8f),   // gap 0.72, same place, other class
                row(400, 400, 50, 50, 0.9f, 0.5f, 0f));  // product 0.45 elsewhere
        List<Detection> d = decoder.decode(out, 4, IDENTITY, 640, 640);
        assertEquals(List.of("product", "gap", "product"), d.stream().map(Detection::label).toList());
        assertEquals(0.81f, d.get(0).confidence(), 1e-6);
        assertEquals(80f, d.get(0).x1(), 1e-4);
    }

    @Test
    void aDenseShelfKeepsHundredsOfAdjacentBoxesAndRespectsTheCap() {
        List<float[]> shelf = new ArrayList<>();
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) { // 400 touching products, 30 x 30 px each
                shelf.add(row(15 + 30 * x, 15 + 30 * y, 29, 29, 0.9f, 0.9f, 0f));
            }
        }
        float[] out = rows(shelf.toArray(new float[0][]));
        assertEquals(300, decoder.decode(out, 400, IDENTITY, 640, 640).size());
        YoloDecoder uncapped = new YoloDecoder(List.of("product", "gap"), 0.25f, 0.45f, 1000);
        assertEquals(400, uncapped.decode(out, 400, IDENTITY, 640, 640).size());
    }

    @Test
    void boxesAreMappedBackThroughTheLetterbox() {
        Letterbox lb = Letterbox.of(1280, 720, 640, 640); // scale 0.5, 140 rows of padding on top
        Detection d = decoder.decode(rows(row(320, 320, 100, 50, 0.9f, 0.9f, 0f)), 1, lb, 1280, 720).get(0);
        assertEquals(540f, d.x1(), 1e-3);
        assertEquals(310f, d.y1(), 1e-3);
        assertEquals(740f, d.x2(), 1e-3);
        assertEquals(410f, d.y2(), 1e-3);
    }

    @Test
    void windowedSuppressionKeepsExactlyWhatTheTextbookGreedyNmsKeeps() {
        java.util.Random random = new java.util.Random(7);
        YoloDecoder uncapped = new YoloDecoder(List.of("product", "gap"), 0.25f, 0.45f, 100_000);
        for (int trial = 0; trial < 50; trial++) {
            int n = 50 + random.nextInt(1500);
            float[] x1 = new float[n];
            float[] y1 = new float[n];
            float[] x2 = new float[n];
            float[] y2 = new float[n];
            float[] conf = new float[n];
            int[] cls = new int[n];
            for (int i = 0; i < n; i++) { // clustered, overlapping, varied sizes, some equal confidences
                x1[i] = random.nextInt(600) - 20 + random.nextFloat();
                y1[i] = random.nextInt(600) - 20 + random.nextFloat();
                x2[i] = x1[i] + 2 + random.nextFloat() * (trial % 5 == 0 ? 300 : 40);
                y2[i] = y1[i] + 2 + random.nextFloat() * 40;
                conf[i] = random.nextInt(50) / 50f;
                cls[i] = random.nextInt(3) == 0 ? 1 : 0;
            }
            YoloDecoder.Candidates c = new YoloDecoder.Candidates(x1, y1, x2, y2, conf, cls, n);
            int[] kept = uncapped.nonMaximumSuppression(c);
            assertEquals(java.util.Arrays.toString(textbookNms(c, 0.45f)), java.util.Arrays.toString(kept), "trial " + trial);
        }
    }

    /** Greedy NMS as written in every textbook: all pairs, by descending confidence, ties by index. */
    private static int[] textbookNms(YoloDecoder.Candidates c, float iouThreshold) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < c.count(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Float.compare(c.conf()[b], c.conf()[a]));
        boolean[] suppressed = new boolean[c.count()];
        List<Integer> kept = new ArrayList<>();
        for (int a = 0; a < order.size(); a++) {
            int i = order.get(a);
            if (suppressed[i]) {
                continue;
            }
            kept.add(i);
            for (int b = a + 1; b < order.size(); b++) {
                int j = order.get(b);
                if (c.cls()[j] == c.cls()[i] && YoloDecoder.iou(c, i, j) > iouThreshold) {
                    suppressed[j] = true;
                }
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void aRowWithNanScoresIsNoDetection() {
        float[] out = rows(row(100, 100, 50, 50, Float.NaN, 0.9f, 0f), row(300, 300, 50, 50, 0.9f, Float.NaN, Float.NaN),
                row(500, 500, 50, 50, 0.9f, 0.9f, 0f));
        List<Detection> found = decoder.decode(out, 3, IDENTITY, 640, 640);
        assertEquals(1, found.size(), found.toString());
        assertEquals(475f, found.get(0).x1(), 1e-3);
    }

    @Test
    void anOutputOfTheWrongWidthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> decoder.decode(new float[13], 2, IDENTITY, 640, 640));
    }

    @Test
    void theRadixSortOrdersLikeFloatCompareWithTiesByIndex() {
        java.util.Random random = new java.util.Random(5);
        for (int trial = 0; trial < 50; trial++) {
            int n = trial == 0 ? 0 : 1 + random.nextInt(3000);
            float[] values = new float[n + 3];
            for (int i = 0; i < n; i++) {
                // ties, signs, zeros of both signs and extremes
                values[i] = switch (random.nextInt(6)) {
                    case 0 -> random.nextInt(10) / 4f;
                    case 1 -> -random.nextFloat() * 1e6f;
                    case 2 -> random.nextBoolean() ? 0f : -0f;
                    case 3 -> random.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                    default -> random.nextFloat() * 640f;
                };
            }
            for (boolean descending : new boolean[] {false, true}) {
                Integer[] expected = new Integer[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = i;
                }
                java.util.Comparator<Integer> byValue = (a, b) -> Float.compare(values[a], values[b]);
                Arrays.sort(expected, (descending ? byValue.reversed() : byValue).thenComparing(i -> i));
                int[] sorted = YoloDecoder.sortedIndices(values, n, descending);
                assertEquals(n, sorted.length);
                for (int i = 0; i < n; i++) {
                    assertEquals(expected[i].intValue(), sorted[i], "trial " + trial + ", position " + i + (descending ? ", descending" : ""));
                }
            }
        }
    }
}
