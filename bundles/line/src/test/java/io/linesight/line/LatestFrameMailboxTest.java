package io.linesight.line;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.linesight.api.frame.Frame;
import io.linesight.api.frame.PixelFormat;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LatestFrameMailboxTest {

    private static Frame frame(long seq) {
        return new Frame("c", seq, seq, Instant.EPOCH, 1, 1, PixelFormat.GRAY8, new byte[1], null);
    }

    @Test
    void newestFrameWinsAndTheDisplacedOneIsReturned() throws Exception {
        LatestFrameMailbox box = new LatestFrameMailbox();
        Frame first = frame(1);
        Frame second = frame(2);
        assertNull(box.offer(first));
        assertSame(first, box.offer(second));
        assertSame(second, box.take(10));
        assertNull(box.take(10));
    }

    @Test
    void takeWakesUpWhenAFrameArrives() throws Exception {
        LatestFrameMailbox box = new LatestFrameMailbox();
        Frame f = frame(7);
        Thread producer = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            box.offer(f);
        });
        producer.start();
        assertSame(f, box.take(10_000));
        producer.join();
    }
}
