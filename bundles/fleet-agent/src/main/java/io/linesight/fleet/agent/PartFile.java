package io.linesight.fleet.agent;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * The working files of one download beside its target: {@code <target>.part}, the bytes received so far, and
 * {@code <target>.part.source}, the {@link SourceValidator} of the source the {@code .part} was started from (so
 * that a resume after a restart of the box can still send {@code If-Range}).
 */
final class PartFile {

    static final String SUFFIX = ".part";
    static final String SOURCE_SUFFIX = ".part.source";

    private final Path target;
    private final Path part;
    private final Path source;

    PartFile(Path target) {
        this.target = target;
        this.part = target.resolveSibling(target.getFileName() + SUFFIX);
        this.source = target.resolveSibling(target.getFileName() + SOURCE_SUFFIX);
    }

    Path path() {
        return part;
    }

    /** Bytes in the {@code .part}, 0 if there is none. */
    long length() throws IOException {
        try {
            return Files.size(part);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** Opens the {@code .part} for writing at {@code offset}, cutting off anything after it. */
    FileChannel openAt(long offset) throws IOException {
        FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            channel.truncate(offset);
            channel.position(offset);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** The validator of the source the {@code .part} came from, if it was recorded and is readable. */
    Optional<SourceValidator> validator() {
        if (!Files.isRegularFile(source)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
            properties.load(reader);
            String url = properties.getProperty("url");
            return url == null ? Optional.empty() : Optional.of(new SourceValidator(URI.create(url),
                    properties.getProperty("etag"), properties.getProperty("lastModified")));
        } catch (IOException | IllegalArgumentException e) {
            // a torn or foreign file: resuming without If-Range is still checked by the final SHA-256
            return Optional.empty();
        }
    }

    /** Records the validator of the source the {@code .part} now continues from (written whole, then renamed). */
    void remember(SourceValidator validator) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("url", validator.url().toString());
        if (validator.etag() != null) {
            properties.setProperty("etag", validator.etag());
        }
        if (validator.lastModified() != null) {
            properties.setProperty("lastModified", validator.lastModified());
        }
        Path temporary = source.resolveSibling(source.getFileName() + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            properties.store(writer, "source of " + part.getFileName());
        }
        Files.move(temporary, source, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes the {@code .part} and its validator. */
    void discard() throws IOException {
        Files.deleteIfExists(part);
        Files.deleteIfExists(source);
    }

    /**
     * The SHA-256 of the {@code .part} in lower-case hex, read through {@code buffer}; {@code null} if
     * {@code cancelled} turned true on the way.
     */
    String sha256(byte[] buffer, BooleanSupplier cancelled) throws IOException {
        return sha256(part, buffer, cancelled);
    }

    /** The SHA-256 of {@code file} in lower-case hex; {@code null} if {@code cancelled} turned true on the way. */
    static String sha256(Path file, byte[] buffer, BooleanSupplier cancelled) throws IOException {
        MessageDigest digest = newSha256();
        ByteBuffer wrapper = ByteBuffer.wrap(buffer);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(wrapper.clear()) >= 0) {
                if (cancelled.getAsBoolean()) {
                    return null;
                }
                digest.update(buffer, 0, wrapper.position());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Makes the verified {@code .part} the target: flushed to the device, renamed in one step (a reader sees the
     * old file or the whole new one, never a partial one), the validator removed, the folder flushed.
     */
    void promote() throws IOException {
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.deleteIfExists(source);
        forceFolder();
    }

    // The rename lives in the folder's entry; without this a power cut can bring back the .part after the box
    // reported the package complete. Some file systems refuse to open a folder for this; the rename still holds.
    private void forceFolder() {
        try (FileChannel folder = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException e) {
            // best effort, see above
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
