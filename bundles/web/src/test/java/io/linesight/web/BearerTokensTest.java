package io.linesight.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerTokensTest {

    private static String digest(String token) {
        return HexFormat.of().formatHex(BearerTokens.sha256(token));
    }

    @Test
    void aConfiguredTokenIsRecognisedByItsDigestAndOthersAreNot() {
        BearerTokens tokens = BearerTokens.parse(new String[] {"ci:" + digest("s3cret-token"), "ops:" + digest("other")},
                "tokens");
        assertEquals(Optional.of("ci"), tokens.authenticate("Bearer s3cret-token"));
        assertEquals(Optional.of("ops"), tokens.authenticate("bearer other"));
        assertEquals(Optional.empty(), tokens.authenticate("Bearer s3cret-tokeN"));
        assertEquals(Optional.empty(), tokens.authenticate("Basic czNjcmV0"));
        assertEquals(Optional.empty(), tokens.authenticate(null));
        assertEquals(2, tokens.size());
        assertEquals(List.of(), tokens.malformed());
    }

    /** Issue 16 item 13: a malformed entry is one sentence, the others keep working, the bad one is never echoed. */
    @Test
    void aMalformedEntryIsLeftOutWithOneSentenceThatDoesNotEchoIt() {
        BearerTokens tokens = BearerTokens.parse(new String[] {"ci:" + digest("a"), "plain-token-by-mistake", "",
                "ops:" + digest("b").substring(1)}, "Web (io.linesight.web): tokens");
        assertEquals(1, tokens.size());
        assertEquals(Optional.of("ci"), tokens.authenticate("Bearer a"));
        assertEquals(Optional.empty(), tokens.authenticate("Bearer plain-token-by-mistake"));
        assertEquals(2, tokens.malformed().size(), tokens.malformed().toString());
        String first = tokens.malformed().get(0);
        assertTrue(first.startsWith("Web (io.linesight.web): tokens: entry #2 is not <name>:<64 hex digits"), first);
        assertTrue(tokens.malformed().get(1).contains("entry #4"), tokens.malformed().get(1));
        assertFalse(String.join(" ", tokens.malformed()).contains("plain-token-by-mistake"), "never echo what may be a secret");
        assertFalse(first.contains("\n"), "one sentence on one line");
    }

    @Test
    void theWebKeepsServingWithAMalformedTokenAndTheGoodOneStillWorks() {
        LiveView view = new LiveView(Fakes.webConfig(Map.of("tokens", new String[] {"oops", "ops:" + digest(Fakes.TOKEN)})));
        try {
            assertEquals("ops", view.access().requireWrite("Bearer " + Fakes.TOKEN));
        } catch (ApiException e) {
            throw new AssertionError(e.getMessage());
        } finally {
            view.deactivate();
        }
    }
}
