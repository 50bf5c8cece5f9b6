package io.linesight.sparkplug.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * How an entry is kept as the value of the journal's {@code entries} map (the key is its id): a CRC-32C of the rest
 * (4 bytes), the timestamp (8 bytes), the length of the device id's UTF-8 bytes (2 bytes, unsigned), those bytes, then
 * the payload. One array per entry keeps MVStore's own encoding to a length prefix, and the accounted size follows from
 * its length alone. The checksum is the journal's own: MVStore checks its chunks' headers and footers and where each
 * page lies, not the bytes inside a page, so a payload damaged on the disk would otherwise be replayed as it is.
 */
final class EntryCodec {

    /** Bytes of the value that are neither device id nor payload. */
    static final int HEADER_BYTES = Integer.BYTES + Long.BYTES + Short.BYTES;
    /** The longest device id the 2-byte length can describe. */
    static final int MAX_DEVICE_ID_BYTES = 0xFFFF;

    private EntryCodec() {
    }

    static byte[] encode(PendingMessage message) {
        byte[] deviceId = message.deviceId().getBytes(StandardCharsets.UTF_8);
        if (deviceId.length > MAX_DEVICE_ID_BYTES) {
            throw new IllegalArgumentException("device id longer than " + MAX_DEVICE_ID_BYTES + " UTF-8 bytes: "
                    + message.deviceId().substring(0, 40) + "...");
        }
        ByteBuffer value = ByteBuffer.allocate(HEADER_BYTES + deviceId.length + message.payload().length)
                .putInt(0)
                .putLong(message.timestampMillis())
                .putShort((short) deviceId.length)
                .put(deviceId)
                .put(message.payload());
        value.putInt(0, checksum(value.array()));
        return value.array();
    }

    /**
     * The entry the value holds.
     *
     * @throws IllegalStateException when the value is damaged (checksum or lengths wrong)
     */
    static JournalEntry decode(long id, byte[] value) {
        if (value.length < HEADER_BYTES || ByteBuffer.wrap(value).getInt() != checksum(value)) {
            throw new IllegalStateException("entry " + id + " is damaged: its checksum does not match its "
                    + value.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(value, Integer.BYTES, value.length - Integer.BYTES);
        long timestamp = buffer.getLong();
        int deviceIdLength = Short.toUnsignedInt(buffer.getShort());
        if (deviceIdLength > buffer.remaining()) {
            throw new IllegalStateException("entry " + id + " is damaged: a device id of " + deviceIdLength
                    + " bytes in a value of " + value.length);
        }
        String deviceId = new String(value, HEADER_BYTES, deviceIdLength, StandardCharsets.UTF_8);
        byte[] payload = new byte[value.length - HEADER_BYTES - deviceIdLength];
        System.arraycopy(value, HEADER_BYTES + deviceIdLength, payload, 0, payload.length);
        return new JournalEntry(id, deviceId, timestamp, payload);
    }

    static long timestamp(byte[] value) {
        return ByteBuffer.wrap(value).getLong(Integer.BYTES);
    }

    /** The size counted against the journal's bound: device id and payload bytes plus the fixed overhead. */
    static long accountedBytes(byte[] value) {
        return value.length - HEADER_BYTES + MessageJournal.ENTRY_OVERHEAD_BYTES;
    }

    private static int checksum(byte[] value) {
        CRC32C crc = new CRC32C();
        crc.update(value, Integer.BYTES, value.length - Integer.BYTES);
        return (int) crc.getValue();
    }
}
