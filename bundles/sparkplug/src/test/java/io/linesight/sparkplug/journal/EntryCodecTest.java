package io.linesight.sparkplug.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EntryCodecTest {

    @Test
    void anEntryComesBackAsItWasAppended() {
        PendingMessage message = new PendingMessage("caméra-1", 1_700_000_000_123L, new byte[] {0, -1, 7});
        byte[] value = EntryCodec.encode(message);
        assertEquals(new JournalEntry(42, "caméra-1", 1_700_000_000_123L, new byte[] {0, -1, 7}),
                EntryCodec.decode(42, value));
        assertEquals(1_700_000_000_123L, EntryCodec.timestamp(value));
        assertEquals(MessageJournal.accountedBytes(message), EntryCodec.accountedBytes(value));
    }

    @Test
    void aFlippedBitAnywhereIsCaught() {
        byte[] value = EntryCodec.encode(new PendingMessage("", 5, new byte[300]));
        for (int i = 0; i < value.length; i++) {
            byte[] damaged = value.clone();
            damaged[i] ^= 0x10;
            int at = i;
            assertThrows(IllegalStateException.class, () -> EntryCodec.decode(1, damaged), () -> "byte " + at);
        }
        assertThrows(IllegalStateException.class, () -> EntryCodec.decode(1, new byte[3]));
    }

    @Test
    void aDeviceIdTooLongForItsLengthFieldIsRefused() {
        String tooLong = "x".repeat(EntryCodec.MAX_DEVICE_ID_BYTES + 1);
        assertThrows(IllegalArgumentException.class,
                () -> EntryCodec.encode(new PendingMessage(tooLong, 0, new byte[0])));
    }
}
