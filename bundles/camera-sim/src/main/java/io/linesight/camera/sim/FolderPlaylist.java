package io.linesight.camera.sim;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The images of a folder in playing order, each with its label if the folder says it.
 *
 * <p>Images: {@code *.png}, {@code *.jpg}, {@code *.jpeg} in the folder and in its direct subfolders,
 * sorted by file name with numbers compared as numbers ({@code part-2} before {@code part-10}), then by
 * path. Labels, first match wins: {@code labels.csv} ({@code file,label[,...]} with a header, as
 * DatasetExport writes it; file relative to the folder), {@code expected.json} (a golden set: an array
 * of objects with {@code file} and {@code label}), the name of the subfolder the image is in. An image
 * none of them labels has no truth.
 */
final class FolderPlaylist {

    /** One image and what it shows, or {@code null} truth if unknown. */
    record Entry(Path file, String relativeName, String truth) {
    }

    private static final Comparator<Entry> ORDER = Comparator
            .comparing((Entry e) -> e.file().getFileName().toString(), FolderPlaylist::compareNatural)
            .thenComparing(Entry::relativeName);

    private final List<Entry> entries;
    private final String labelSource;

    private FolderPlaylist(List<Entry> entries, String labelSource) {
        this.entries = List.copyOf(entries);
        this.labelSource = labelSource;
    }

    /** Reads the folder now. */
    static FolderPlaylist scan(Path folder) throws IOException {
        Map<String, String> labels = new HashMap<>();
        String source = readLabels(folder, labels);
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder, 2)) {
            files.filter(Files::isRegularFile).filter(FolderPlaylist::isImage)
                    .forEach(file -> entries.add(entry(folder, file, labels)));
        }
        entries.sort(ORDER);
        boolean bySubfolder = entries.stream().anyMatch(e -> e.relativeName().contains("/"));
        return new FolderPlaylist(entries, source != null ? source : bySubfolder ? "subfolders" : "none");
    }

    List<Entry> entries() {
        return entries;
    }

    /** Where the labels came from: labels.csv, expected.json, subfolders or none. */
    String labelSource() {
        return labelSource;
    }

    long labelled() {
        return entries.stream().filter(e -> e.truth() != null).count();
    }

    private static Entry entry(Path folder, Path file, Map<String, String> labels) {
        String relative = folder.relativize(file).toString().replace('\\', '/');
        String truth = labels.get(relative);
        if (truth == null) {
            truth = labels.get(file.getFileName().toString());
        }
        if (truth == null && relative.contains("/")) {
            truth = relative.substring(0, relative.indexOf('/'));
        }
        return new Entry(file, relative, truth);
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    private static String readLabels(Path folder, Map<String, String> labels) throws IOException {
        Path csv = folder.resolve("labels.csv");
        if (Files.isRegularFile(csv)) {
            readCsv(csv, labels);
            return "labels.csv";
        }
        Path json = folder.resolve("expected.json");
        if (Files.isRegularFile(json)) {
            readJson(json, labels);
            return "expected.json";
        }
        return null;
    }

    private static void readCsv(Path csv, Map<String, String> labels) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        for (int i = 0; i < lines.size(); i++) {
            String[] columns = lines.get(i).split(",");
            if (columns.length < 2 || i == 0 && "file".equalsIgnoreCase(columns[0].trim())) {
                continue; // header or blank line
            }
            labels.put(columns[0].trim(), columns[1].trim());
        }
    }

    private static void readJson(Path json, Map<String, String> labels) throws IOException {
        try (Reader reader = Files.newBufferedReader(json)) {
            for (JsonElement element : JsonParser.parseReader(reader).getAsJsonArray()) {
                JsonObject item = element.getAsJsonObject();
                labels.put(item.get("file").getAsString(), item.get("label").getAsString());
            }
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new IOException(json + " is not a golden-set list of {\"file\", \"label\"} objects: " + e.getMessage(), e);
        }
    }

    /** Compares names with digit runs as numbers: part-2 before part-10. */
    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                int byNumber = compareNumbers(a.substring(i, endA), b.substring(j, endB));
                if (byNumber != 0) {
                    return byNumber;
                }
                i = endA;
                j = endB;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static int digitsEnd(String s, int from) {
        int end = from;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }

    private static int compareNumbers(String a, String b) {
        String x = a.replaceFirst("^0+(?=.)", "");
        String y = b.replaceFirst("^0+(?=.)", "");
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }
}
