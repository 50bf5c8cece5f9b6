package io.linesight.model.deploy;

import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The package manifest {@code MANIFEST.sha256}: one line {@code <sha256-hex>  <relative/path>} per file of
 * the package except the manifest and its signature, sorted by path, '/' separators, UTF-8, each line
 * ending in '\n'. The same format {@code models/sign} writes.
 */
final class PackageManifest {

    static final String MANIFEST = "MANIFEST.sha256";
    static final String SIGNATURE = "MANIFEST.sig";

    private PackageManifest() {
    }

    /**
     * Digest of every regular file under {@code dir} except the manifest, the signature and the top-level
     * names in {@code skipped}, by relative path.
     *
     * @throws DeploymentException NOT_TRUSTED for a symbolic link or special file (a package holds only
     *                             plain files), FAILED when a file cannot be read
     */
    static SortedMap<String, String> digests(Path dir, Set<String> skipped) throws DeploymentException {
        SortedMap<String, String> digests = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> !p.equals(dir)).toList();
        } catch (IOException e) {
            throw new DeploymentException(Reason.FAILED, "Cannot list the package " + dir + ": " + e.getMessage(), e);
        }
        for (Path file : files) {
            String relative = relative(dir, file);
            if (Files.isSymbolicLink(file) || !(Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)
                    || Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))) {
                throw new DeploymentException(Reason.NOT_TRUSTED, "The package holds '" + relative
                        + "', which is not a plain file or folder: remove it");
            }
            if (Files.isRegularFile(file) && !ignored(relative, skipped)) {
                digests.put(relative, sha256(file));
            }
        }
        return digests;
    }

    /** The manifest's bytes for these digests. */
    static byte[] render(SortedMap<String, String> digests) {
        StringBuilder text = new StringBuilder();
        digests.forEach((path, hex) -> text.append(hex).append("  ").append(path).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a manifest; refuses malformed lines and duplicates. */
    static SortedMap<String, String> parse(byte[] manifest) throws DeploymentException {
        SortedMap<String, String> digests = new TreeMap<>();
        String[] lines = new String(manifest, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                break;
            }
            if (!line.matches("[0-9a-fA-F]{64}  [^\\\\]+") || digests.put(line.substring(66),
                    line.substring(0, 64).toLowerCase()) != null) {
                throw new DeploymentException(Reason.NOT_TRUSTED, MANIFEST + " line " + (i + 1)
                        + " is malformed or repeats a path ('" + abbreviate(line) + "'): re-sign the package");
            }
        }
        return digests;
    }

    /** Lower-case hex SHA-256 of a file. */
    static String sha256(Path file) throws DeploymentException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new DeploymentException(Reason.FAILED, "Cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Lower-case hex SHA-256 of bytes. */
    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static boolean ignored(String relative, Set<String> skipped) {
        return relative.equals(MANIFEST) || relative.equals(SIGNATURE) || skipped.contains(relative);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String abbreviate(String line) {
        return line.length() > 100 ? line.substring(0, 100) + "..." : line;
    }
}
