package io.linesight.camera.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Random;

/**
 * Paints what a top-down camera over a conveyor sees when a part passes the trigger: a textured belt
 * and a punched steel plate with four holes, possibly flawed. The same renderer feeds the simulated
 * camera and exports the training set, so the model is trained on exactly what the simulator shows.
 *
 * <p>Not thread-safe: one renderer per thread.
 */
public final class ConveyorRenderer {

    /** Nominal plate size at 320 px frame width; scaled with the frame. */
    private static final double PLATE_W = 150;
    private static final double PLATE_H = 100;
    private static final double HOLE_R = 9;
    private static final double[][] HOLES = {{-50, -30}, {50, -30}, {-50, 30}, {50, 30}};

    private final int width;
    private final int height;
    private final BufferedImage image;

    public ConveyorRenderer(int width, int height) {
        if (width < 64 || height < 48) {
            throw new IllegalArgumentException("frame must be at least 64x48, was " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Renders one part and returns a fresh BGR24 copy of the frame (the caller owns the array). */
    public byte[] render(PartSpec part) {
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            Random detail = new Random(part.detailSeed());
            paintBelt(g, part, detail);
            g.setTransform(partTransform(part));
            paintPlate(g, part);
            paintDefect(g, part.defect(), detail);
        } finally {
            g.dispose();
        }
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        applyLightingAndNoise(pixels, part, new Random(part.detailSeed() ^ 0x5DEECE66DL));
        return pixels.clone();
    }

    /** The image after the last {@link #render}, for exporting as PNG. */
    BufferedImage lastImage() {
        return image;
    }

    private void paintBelt(Graphics2D g, PartSpec part, Random detail) {
        g.setColor(new Color(58, 60, 62));
        g.fillRect(0, 0, width, height);
        // Belt seams move with the part index so consecutive frames show motion.
        double pitch = width / 6.0;
        double shift = (part.index() * 17.0) % pitch;
        g.setColor(new Color(44, 45, 47));
        g.setStroke(new BasicStroke((float) Math.max(2, width / 120.0)));
        for (double x = -pitch + shift; x < width + pitch; x += pitch) {
            g.draw(new Line2D.Double(x, 0, x, height));
        }
        // A few scuffs on the belt: texture the model must learn to ignore.
        g.setColor(new Color(72, 74, 76));
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i < 6; i++) {
            double x = detail.nextDouble() * width;
            double y = detail.nextDouble() * height;
            g.draw(new Line2D.Double(x, y, x + detail.nextGaussian() * 8, y + detail.nextGaussian() * 3));
        }
    }

    private AffineTransform partTransform(PartSpec part) {
        double unit = width / 320.0;
        AffineTransform t = new AffineTransform();
        t.translate(width / 2.0 + part.offsetX() * width, height / 2.0 + part.offsetY() * height);
        t.rotate(part.rotationRad());
        t.scale(unit * part.scale(), unit * part.scale());
        return t;
    }

    private void paintPlate(Graphics2D g, PartSpec part) {
        RoundRectangle2D plate = new RoundRectangle2D.Double(-PLATE_W / 2, -PLATE_H / 2, PLATE_W, PLATE_H, 36, 36);
        g.setColor(new Color(30, 31, 33, 120)); // shadow
        g.fill(new RoundRectangle2D.Double(-PLATE_W / 2 + 4, -PLATE_H / 2 + 5, PLATE_W, PLATE_H, 36, 36));
        g.setPaint(new GradientPaint(
                (float) (-PLATE_W / 2), (float) (-PLATE_H / 2), new Color(206, 210, 216),
                (float) (PLATE_W / 2), (float) (PLATE_H / 2), new Color(158, 163, 170)));
        g.fill(plate);
        g.setColor(new Color(120, 124, 130));
        g.setStroke(new BasicStroke(1.5f));
        g.draw(plate);
        int missing = part.defect() == DefectKind.MISSING_HOLE ? (int) Math.floorMod(part.detailSeed(), 4L) : -1;
        for (int i = 0; i < HOLES.length; i++) {
            if (i != missing) {
                paintHole(g, HOLES[i][0], HOLES[i][1]);
            }
        }
    }

    private static void paintHole(Graphics2D g, double cx, double cy) {
        Ellipse2D hole = new Ellipse2D.Double(cx - HOLE_R, cy - HOLE_R, 2 * HOLE_R, 2 * HOLE_R);
        g.setColor(new Color(40, 41, 43));
        g.fill(hole);
        g.setColor(new Color(110, 114, 120));
        g.setStroke(new BasicStroke(1.5f));
        g.draw(hole);
    }

    private void paintDefect(Graphics2D g, DefectKind defect, Random detail) {
        switch (defect) {
            case SCRATCH -> paintScratches(g, detail);
            case STAIN -> paintStain(g, detail);
            case DENT -> paintDent(g, detail);
            case MISSING_HOLE, NONE -> { }
        }
    }

    private static void paintScratches(Graphics2D g, Random detail) {
        int count = 1 + detail.nextInt(3);
        for (int i = 0; i < count; i++) {
            double x = (detail.nextDouble() - 0.5) * PLATE_W * 0.6;
            double y = (detail.nextDouble() - 0.5) * PLATE_H * 0.6;
            double angle = detail.nextDouble() * Math.PI;
            double length = 40 + detail.nextDouble() * 50;
            double dx = Math.cos(angle) * length / 2;
            double dy = Math.sin(angle) * length / 2;
            g.setColor(new Color(70, 72, 76));
            g.setStroke(new BasicStroke((float) (2 + detail.nextDouble() * 1.5), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(x - dx, y - dy, x + dx, y + dy));
        }
    }

    private static void paintStain(Graphics2D g, Random detail) {
        double cx = (detail.nextDouble() - 0.5) * PLATE_W * 0.5;
        double cy = (detail.nextDouble() - 0.5) * PLATE_H * 0.5;
        for (int i = 0; i < 5; i++) {
            double r = 8 + detail.nextDouble() * 12;
            double x = cx + detail.nextGaussian() * 6;
            double y = cy + detail.nextGaussian() * 5;
            g.setColor(new Color(110, 70, 35, 170));
            g.fill(new Ellipse2D.Double(x - r, y - r * 0.8, 2 * r, 1.6 * r));
        }
    }

    private static void paintDent(Graphics2D g, Random detail) {
        double cx = (detail.nextDouble() - 0.5) * PLATE_W * 0.45;
        double cy = (detail.nextDouble() - 0.5) * PLATE_H * 0.45;
        double r = 12 + detail.nextDouble() * 8;
        g.setColor(new Color(95, 98, 104));
        g.fill(new Ellipse2D.Double(cx - r, cy - r * 0.75, 2 * r, 1.5 * r));
        g.setColor(new Color(240, 242, 245));
        g.setStroke(new BasicStroke(2.5f));
        g.draw(new java.awt.geom.Arc2D.Double(cx - r, cy - r * 0.75, 2 * r, 1.5 * r, 200, 140, java.awt.geom.Arc2D.OPEN));
    }

    /** Light level and colour cast of the whole scene, plus sensor noise, applied to the BGR bytes. */
    private static void applyLightingAndNoise(byte[] bgr, PartSpec part, Random noise) {
        double gainB = part.brightness() * (1 - 0.08 * part.warmth());
        double gainG = part.brightness();
        double gainR = part.brightness() * (1 + 0.08 * part.warmth());
        for (int i = 0; i < bgr.length; i += 3) {
            int n = (int) (noise.nextGaussian() * 4);
            bgr[i] = clamp((bgr[i] & 0xFF) * gainB + n);
            bgr[i + 1] = clamp((bgr[i + 1] & 0xFF) * gainG + n);
            bgr[i + 2] = clamp((bgr[i + 2] & 0xFF) * gainR + n);
        }
    }

    private static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
    }
}
