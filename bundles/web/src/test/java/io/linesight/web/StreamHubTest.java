package io.linesight.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StreamHubTest {

    @Test
    void aSlowClientIsDroppedAndTheOthersKeepTheirUpdates() throws Exception {
        StreamHub hub = new StreamHub(4, 3);
        StreamHub.Client slow = hub.open("first");
        StreamHub.Client fast = hub.open("first");
        assertEquals("first", fast.next(1000));
        for (int i = 0; i < 5; i++) {
            hub.broadcast("snapshot", "{\"n\":" + i + "}");
            assertTrue(fast.next(1000).contains("data: {\"n\":" + i + "}"));
        }
        assertTrue(slow.droppedBecause().startsWith("too slow"), slow.droppedBecause());
        assertNull(slow.next(10), "a dropped client's stream ends");
        assertEquals(1, hub.size());
    }

    @Test
    void theNumberOfClientsIsBoundedAndCloseEndsEveryStream() throws Exception {
        StreamHub hub = new StreamHub(1, 4);
        StreamHub.Client one = hub.open("hello");
        assertEquals(503, assertThrows(ApiException.class, () -> hub.open("x")).status());
        assertEquals("hello", one.next(100));
        assertEquals("", one.next(10), "nothing new: a keep-alive");
        hub.close();
        assertNull(one.next(1000));
        assertEquals(0, hub.size());
    }

    @Test
    void eventsAreFormattedAsServerSentEvents() {
        assertEquals("event: snapshot\nid: 3\ndata: {\"a\":1}\n\n", StreamHub.format("snapshot", 3, "{\"a\":1}"));
    }
}
