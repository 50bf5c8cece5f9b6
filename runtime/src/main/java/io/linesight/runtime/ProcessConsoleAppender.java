package io.linesight.runtime;

import ch.qos.logback.core.OutputStreamAppender;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A Logback appender for the process's own standard output (file descriptor 1), whatever {@code System.out} is
 * at the time of the event. Use it instead of Logback's {@code ConsoleAppender} in {@code logback.xml}.
 *
 * <p>Why: Gogo replaces {@code System.out} with a stream that sends what a shell command's thread prints to that
 * command's session. {@code ConsoleAppender} writes to {@code System.out} as it is at each event, so a log line
 * written while a console command runs (a package refused, a line reconfigured, an alarm raised) would appear in
 * the telnet session among the command's answer, and not on the terminal or in the service log. This appender
 * sends every log line to the process's output, as for any other action; the session shows the answer only.
 *
 * <p>Standard output stays open when the appender stops: the launcher and the JVM may still write to it.
 */
public class ProcessConsoleAppender<E> extends OutputStreamAppender<E> {

    @Override
    public void start() {
        setOutputStream(new StandardOutput());
        super.start();
    }

    /** File descriptor 1, written in whole event-sized blocks, never closed. */
    private static final class StandardOutput extends OutputStream {
        private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() {
            // standard output belongs to the process, not to the logging configuration
        }
    }
}
