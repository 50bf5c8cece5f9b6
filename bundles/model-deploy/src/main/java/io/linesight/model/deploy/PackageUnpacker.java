package io.linesight.model.deploy;

import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Copies an arriving package (a zip or a folder) into a staging folder, within bounds: the zip's size, the
 * bytes it unpacks to (counted while copying, not taken from its headers), the number of entries, and no
 * entry may land outside the staging folder (zip-slip). Verification then runs on the copy, so what is
 * verified is what is stored.
 */
final class PackageUnpacker {

    static final int MAX_ENTRIES = 10_000;

    private final long maxBytes;

    PackageUnpacker(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Copies the package at {@code source} into the empty folder {@code staging} and returns the package
     * root inside it (the staging folder, or the zip's single top folder).
     */
    Path unpack(Path source, Path staging) throws DeploymentException {
        if (Files.isDirectory(source)) {
            copyFolder(source, staging);
            return staging;
        }
        if (!Files.isRegularFile(source)) {
            throw new DeploymentException(Reason.NOT_FOUND, "No package at " + source);
        }
        unzip(source, staging);
        return packageRoot(staging, source);
    }

    private void unzip(Path zip, Path staging) throws DeploymentException {
        long size = size(zip);
        if (size > maxBytes) {
            throw refused(zip, "is " + megabytes(size) + " MB, more than maxPackageMegabytes (" + megabytes(maxBytes)
                    + " MB)");
        }
        try (ZipFile file = new ZipFile(zip.toFile())) {
            long[] written = {0};
            int count = 0;
            for (Enumeration<? extends ZipEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                if (++count > MAX_ENTRIES) {
                    throw refused(zip, "has more than " + MAX_ENTRIES + " entries");
                }
                extract(file, entries.nextElement(), staging, written, zip);
            }
        } catch (ZipException e) {
            throw refused(zip, "is not a complete zip file (" + e.getMessage() + "); copy it again");
        } catch (IOException e) {
            throw new DeploymentException(Reason.FAILED, "Cannot unpack " + zip + ": " + e.getMessage(), e);
        }
    }

    private void extract(ZipFile file, ZipEntry entry, Path staging, long[] written, Path zip)
            throws IOException, DeploymentException {
        Path target = staging.resolve(entry.getName()).normalize();
        if (entry.getName().contains("\\") || !target.startsWith(staging) || target.equals(staging)) {
            throw refused(zip, "has an entry '" + entry.getName() + "' whose path escapes the package folder"
                    + " (zip-slip); this package is malformed or hostile");
        }
        if (entry.isDirectory()) {
            Files.createDirectories(target);
            return;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = file.getInputStream(entry);
             OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            copyBounded(in, out, written, zip);
        } catch (FileAlreadyExistsException e) {
            throw refused(zip, "holds '" + entry.getName() + "' twice");
        }
    }

    private void copyBounded(InputStream in, OutputStream out, long[] written, Path zip)
            throws IOException, DeploymentException {
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            written[0] += n;
            if (written[0] > maxBytes) {
                throw refused(zip, "unpacks to more than maxPackageMegabytes (" + megabytes(maxBytes) + " MB)");
            }
            out.write(buffer, 0, n);
        }
    }

    private void copyFolder(Path source, Path staging) throws DeploymentException {
        long total = 0;
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(source)) {
            paths = walk.toList();
        } catch (IOException e) {
            throw new DeploymentException(Reason.FAILED, "Cannot list " + source + ": " + e.getMessage(), e);
        }
        try {
            for (Path path : paths) {
                Path target = staging.resolve(PackageManifest.relative(source, path));
                if (Files.isSymbolicLink(path)) {
                    throw refused(source, "holds a symbolic link " + PackageManifest.relative(source, path)
                            + ": a package holds only plain files");
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    total += Files.size(path);
                    if (total > maxBytes) {
                        throw refused(source, "is larger than maxPackageMegabytes (" + megabytes(maxBytes) + " MB)");
                    }
                    Files.copy(path, target);
                }
            }
        } catch (IOException e) {
            throw new DeploymentException(Reason.FAILED, "Cannot copy " + source + ": " + e.getMessage(), e);
        }
    }

    /** The folder holding model.json: the staging folder itself, or a zip's single top-level folder. */
    private static Path packageRoot(Path staging, Path zip) throws DeploymentException {
        if (Files.isRegularFile(staging.resolve(PackageCard.CARD_FILE))) {
            return staging;
        }
        try (Stream<Path> top = Files.list(staging)) {
            List<Path> children = top.toList();
            if (children.size() == 1 && Files.isRegularFile(children.get(0).resolve(PackageCard.CARD_FILE))) {
                return children.get(0);
            }
        } catch (IOException e) {
            throw new DeploymentException(Reason.FAILED, "Cannot list " + staging + ": " + e.getMessage(), e);
        }
        throw refused(zip, "has no " + PackageCard.CARD_FILE + " at its top (nor in a single top folder):"
                + " it is not a model package");
    }

    private static long size(Path file) throws DeploymentException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new DeploymentException(Reason.FAILED, "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static long megabytes(long bytes) {
        return (bytes + 1024 * 1024 - 1) / (1024 * 1024);
    }

    private static DeploymentException refused(Path source, String problem) {
        return new DeploymentException(Reason.NOT_TRUSTED, "Package " + source.getFileName() + " " + problem);
    }
}
