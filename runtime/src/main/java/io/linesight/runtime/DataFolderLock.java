package io.linesight.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One runtime per data folder. A second launcher on the same folder would wipe the first one's
 * framework cache (it is cleaned on start) and fight over ports and files, so it must refuse to
 * start. The lock is held until the JVM exits; the operating system releases it even after a kill.
 */
final class DataFolderLock {

    static final String FILE = "linesight.lock";

    /** Another process holds the data folder; the message says which folder and what to do. */
    static final class HeldException extends IOException {
        private static final long serialVersionUID = 1L;

        HeldException(String message) {
            super(message);
        }
    }

    private DataFolderLock() {
    }

    /**
     * Locks {@code <data>/linesight.lock} for the life of this JVM.
     *
     * @throws HeldException if another process holds the lock
     */
    static FileLock acquire(Path data) throws IOException {
        Path file = data.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = tryLock(channel);
        if (lock == null) {
            channel.close();
            throw new HeldException("Another LineSight is running with the data folder " + data
                    + " (it holds " + file + "); stop it first or start this one with another --data folder");
        }
        return lock;
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM already
        }
    }
}
