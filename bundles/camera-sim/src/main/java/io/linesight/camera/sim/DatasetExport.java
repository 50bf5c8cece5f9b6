package io.linesight.camera.sim;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes parts of the simulated conveyor as a labelled image set, so a model can be trained on exactly
 * what the simulated camera shows. Used by the training pipeline under {@code models/}.
 *
 * <pre>
 * java -cp linesight-camera-sim.jar io.linesight.camera.sim.DatasetExport \
 *      --out DIR --count N [--seed S] [--first-part K] [--width W] [--height H] [--defect-rate R]
 * </pre>
 *
 * Writes {@code DIR/<label>/part-<n>-<kind>.png} and {@code DIR/labels.csv} (file,label,kind).
 */
public final class DatasetExport {

    private DatasetExport() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Options options = Options.parse(args);
        export(options);
        System.out.println("wrote " + options.count + " images to " + options.out);
    }

    static void export(Options o) throws IOException {
        ConveyorRenderer renderer = new ConveyorRenderer(o.width, o.height);
        Files.createDirectories(o.out);
        try (Writer labels = Files.newBufferedWriter(o.out.resolve("labels.csv"))) {
            labels.write("file,label,kind\n");
            for (long n = o.firstPart; n < o.firstPart + o.count; n++) {
                PartSpec part = PartSpec.draw(o.seed, n, o.defectRate);
                renderer.render(part);
                String label = part.defect().label();
                String file = label + "/part-" + n + "-" + part.defect().name().toLowerCase() + ".png";
                Path target = o.out.resolve(file);
                Files.createDirectories(target.getParent());
                ImageIO.write(renderer.lastImage(), "png", target.toFile());
                labels.write(file + "," + label + "," + part.defect().name().toLowerCase() + "\n");
            }
        }
    }

    /** Command-line options; unknown or malformed options stop the export with a usage message. */
    static final class Options {
        Path out;
        int count = 1000;
        long seed = 1;
        long firstPart = 1;
        int width = 320;
        int height = 240;
        double defectRate = 0.5;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw usage("missing value after " + args[i]);
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--out" -> o.out = Path.of(value);
                    case "--count" -> o.count = Integer.parseInt(value);
                    case "--seed" -> o.seed = Long.parseLong(value);
                    case "--first-part" -> o.firstPart = Long.parseLong(value);
                    case "--width" -> o.width = Integer.parseInt(value);
                    case "--height" -> o.height = Integer.parseInt(value);
                    case "--defect-rate" -> o.defectRate = Double.parseDouble(value);
                    default -> throw usage("unknown option " + args[i]);
                }
            }
            if (o.out == null) {
                throw usage("--out is required");
            }
            return o;
        }

        private static IllegalArgumentException usage(String problem) {
            return new IllegalArgumentException(problem + "; usage: DatasetExport --out DIR --count N [--seed S] "
                    + "[--first-part K] [--width W] [--height H] [--defect-rate R]");
        }
    }
}
