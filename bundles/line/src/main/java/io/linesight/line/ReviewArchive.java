package io.linesight.line;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.model.ClassScore;
import io.linesight.api.model.Classification;
import io.linesight.api.model.Detection;
import io.linesight.api.model.Detections;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves REVIEW frames for a person to look at: {@code <folder>/<time>-<source>-<sequence>.png} with the
 * result beside it as {@code .json}. Written on the archive's own thread, never on the inference thread;
 * the queue is bounded (a frame that does not fit is counted, not saved) and so is the folder: beyond
 * {@code maxFrames} the oldest pair this archive wrote is deleted.
 */
final class ReviewArchive implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewArchive.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS").withZone(ZoneOffset.UTC);

    private final String lineId;
    /** What the archive keeps, for its log lines: {@code REVIEW frame}, {@code shadow disagreement}. */
    private final String kind;
    private final Path folder;
    private final int maxFrames;
    private final ExecutorService writer;
    private final Deque<Path> written = new ArrayDeque<>();
    private final AtomicLong saved = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    ReviewArchive(String lineId, Path folder, int maxFrames, int queue) {
        this(lineId, "REVIEW frame", folder, maxFrames, queue);
    }

    ReviewArchive(String lineId, String kind, Path folder, int maxFrames, int queue) {
        this.lineId = lineId;
        this.kind = kind;
        this.folder = folder;
        this.maxFrames = maxFrames;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "line-" + lineId + "-review");
            t.setDaemon(true);
            return t;
        });
    }

    Path folder() {
        return folder;
    }

    long saved() {
        return saved.get();
    }

    long skipped() {
        return skipped.get();
    }

    /** Queues the frame and its result; returns false (and counts it) when the queue is full. */
    boolean offer(Frame frame, InspectionEvent event) {
        return offer(frame, image -> describe(event, image));
    }

    /**
     * Queues the frame with the JSON {@code describe} writes beside it (given the image's file name); returns false
     * (and counts it) when the queue is full.
     */
    boolean offer(Frame frame, java.util.function.UnaryOperator<String> describe) {
        try {
            writer.execute(() -> write(frame, describe));
            return true;
        } catch (RejectedExecutionException e) {
            long n = skipped.incrementAndGet();
            if (n == 1 || n % 100 == 0) {
                LOG.warn("Line '{}': {} {} not saved, the review writer is behind ({} skipped so far); check that {} is writable and not on a slow disk",
                        lineId, kind, frame.sequence(), n, folder);
            }
            return false;
        }
    }

    private void write(Frame frame, java.util.function.UnaryOperator<String> describe) {
        String base = STAMP.format(frame.captureTime()) + "-" + safe(frame.sourceId()) + "-" + frame.sequence();
        try {
            Files.createDirectories(folder);
            Path image = folder.resolve(base + ".png");
            Path tmp = folder.resolve(base + ".png.tmp");
            ImageIO.write(toImage(frame), "png", tmp.toFile());
            Files.move(tmp, image, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Path json = folder.resolve(base + ".json");
            Files.writeString(json, describe.apply(image.getFileName().toString()), StandardCharsets.UTF_8);
            written.addLast(image);
            saved.incrementAndGet();
            trim();
        } catch (IOException | RuntimeException e) {
            skipped.incrementAndGet();
            LOG.warn("Line '{}': {} {} could not be saved to {}: {}", lineId, kind, frame.sequence(), folder, e.toString());
        }
    }

    private void trim() throws IOException {
        while (written.size() > maxFrames) {
            Path oldest = written.removeFirst();
            Files.deleteIfExists(oldest);
            Files.deleteIfExists(oldest.resolveSibling(oldest.getFileName().toString().replace(".png", ".json")));
        }
    }

    private static BufferedImage toImage(Frame frame) {
        if (frame.format() == PixelFormat.GRAY8) {
            BufferedImage gray = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_BYTE_GRAY);
            System.arraycopy(frame.pixels(), 0, ((DataBufferByte) gray.getRaster().getDataBuffer()).getData(), 0,
                    frame.width() * frame.height());
            return gray;
        }
        BufferedImage bgr = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] target = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        byte[] source = frame.pixels();
        if (frame.format() == PixelFormat.BGR24) {
            System.arraycopy(source, 0, target, 0, target.length);
        } else {
            for (int i = 0; i < target.length; i += 3) {
                target[i] = source[i + 2];
                target[i + 1] = source[i + 1];
                target[i + 2] = source[i];
            }
        }
        return bgr;
    }

    /** The result as JSON (hand-written: the line bundle has no JSON library and needs only this). */
    static String describe(InspectionEvent e, String imageFile) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\n  \"line\": ").append(quote(e.lineId()))
                .append(",\n  \"image\": ").append(quote(imageFile))
                .append(",\n  \"source\": ").append(quote(e.sourceId()))
                .append(",\n  \"sequence\": ").append(e.sequence())
                .append(",\n  \"captureTime\": ").append(quote(e.captureTime().toString()))
                .append(",\n  \"verdict\": ").append(quote(e.verdict().name()))
                .append(",\n  \"reason\": ").append(quote(e.reason()))
                .append(",\n  \"model\": {\"name\": ").append(quote(e.model().name()))
                .append(", \"version\": ").append(quote(e.model().version()))
                .append(", \"sha256\": ").append(quote(e.model().sha256())).append("}");
        if (e.result() instanceof Classification c) {
            json.append(",\n  \"top\": [");
            String sep = "";
            for (ClassScore s : c.top()) {
                json.append(sep).append("{\"label\": ").append(quote(s.label())).append(", \"confidence\": ")
                        .append(String.format(Locale.ROOT, "%.6f", s.confidence())).append("}");
                sep = ", ";
            }
            json.append("]");
        } else if (e.result() instanceof Detections d) {
            json.append(",\n  \"objects\": [");
            String sep = "";
            for (Detection o : d.objects()) {
                json.append(sep).append(String.format(Locale.ROOT,
                        "{\"label\": %s, \"confidence\": %.4f, \"x1\": %.1f, \"y1\": %.1f, \"x2\": %.1f, \"y2\": %.1f}",
                        quote(o.label()), o.confidence(), o.x1(), o.y1(), o.x2(), o.y2()));
                sep = ", ";
            }
            json.append("]");
        }
        return json.append("\n}\n").toString();
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : (s == null ? "" : s).toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String safe(String s) {
        return s == null ? "camera" : s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.shutdownNow();
        }
    }
}
