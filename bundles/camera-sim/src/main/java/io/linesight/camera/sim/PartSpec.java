package io.linesight.camera.sim;

import java.util.Random;

/**
 * Everything that varies from one part to the next, drawn from a seeded generator so part {@code n} of
 * seed {@code s} always looks the same: the ground truth of a test run is known in advance.
 *
 * @param index        part number on the conveyor, from 1
 * @param defect       the flaw painted on the part, or {@link DefectKind#NONE}
 * @param offsetX      horizontal offset of the part centre from the frame centre, fraction of width
 * @param offsetY      vertical offset, fraction of height
 * @param rotationRad  rotation of the part
 * @param scale        size of the part relative to nominal
 * @param brightness   lighting gain applied to the whole scene
 * @param warmth       colour cast of the light, -1 (cool) .. 1 (warm)
 * @param detailSeed   seed for the small details (texture, where exactly a flaw lies)
 */
public record PartSpec(
        long index,
        DefectKind defect,
        double offsetX,
        double offsetY,
        double rotationRad,
        double scale,
        double brightness,
        double warmth,
        long detailSeed) {

    /**
     * Draws part {@code index} of the conveyor with the given seed; a fraction {@code defectRate} of
     * parts carries a defect, of a kind chosen uniformly.
     */
    public static PartSpec draw(long seed, long index, double defectRate) {
        Random random = new Random(mix(seed, index));
        boolean defective = random.nextDouble() < defectRate;
        DefectKind[] kinds = DefectKind.values();
        DefectKind defect = defective ? kinds[1 + random.nextInt(kinds.length - 1)] : DefectKind.NONE;
        return new PartSpec(
                index,
                defect,
                uniform(random, -0.08, 0.08),
                uniform(random, -0.08, 0.08),
                uniform(random, 0, 2 * Math.PI),
                uniform(random, 0.85, 1.15),
                uniform(random, 0.75, 1.25),
                uniform(random, -1, 1),
                random.nextLong());
    }

    private static double uniform(Random random, double from, double to) {
        return from + (to - from) * random.nextDouble();
    }

    /** SplitMix64 finaliser: neighbouring part numbers get unrelated generators. */
    static long mix(long seed, long index) {
        long z = seed + index * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
