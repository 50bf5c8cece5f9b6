package io.linesight.deploy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The push reads its parameters from the query string, never from the body (which is the zip). */
class QueryStringTest {

    @Test
    void parametersAreDecodedAndTheFirstValueWins() {
        Map<String, String> q = ModelPushServlet.query("activate=default&reason=new%20batch+3&activate=other&flag");
        assertEquals("default", q.get("activate"));
        assertEquals("new batch 3", q.get("reason"));
        assertEquals("", q.get("flag"));
        assertTrue(ModelPushServlet.query(null).isEmpty());
    }
}
