package io.linesight.scada.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHashTest {

    private static final int FAST = PasswordHash.MIN_ITERATIONS;

    @Test
    void storedFormNamesSchemeAndIterationsAndVerifiesOnlyTheRightPassword() {
        String stored = PasswordHash.create("s3cret!", FAST).toString();

        assertTrue(stored.matches("pbkdf2-sha256:10000:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{44}"), stored);
        assertFalse(stored.contains("s3cret"));
        assertTrue(PasswordHash.parse(stored).matches("s3cret!"));
        assertFalse(PasswordHash.parse(stored).matches("s3cret"));
        assertFalse(PasswordHash.parse(stored).matches(""));
    }

    @Test
    void everyHashHasItsOwnSalt() {
        assertNotEquals(PasswordHash.create("same", FAST).toString(), PasswordHash.create("same", FAST).toString());
    }

    @Test
    void gogoCommandPrintsAUsableHashAndExplainsBadInput() {
        ScadaCommands commands = new ScadaCommands();

        String hash = commands.hashpassword("operator-pw", FAST);

        assertTrue(PasswordHash.parse(hash).matches("operator-pw"));
        assertEquals(PasswordHash.DEFAULT_ITERATIONS, PasswordHash.parse(commands.hashpassword("x")).iterations());
        assertTrue(commands.hashpassword("x", 5).startsWith("Cannot hash: "), commands.hashpassword("x", 5));
        assertTrue(commands.hashpassword("", FAST).startsWith("Cannot hash: "));
        assertEquals("Cannot hash: 'lots' is not a number of iterations; give at least 10000, or leave it out for 600000.",
                commands.hashpassword("x", "lots"));
    }

    /** As Gogo's runtime dispatches it: no password, or one with spaces unquoted, is the usage, not "Cannot coerce". */
    @Test
    void missingOrExtraArgumentsAnswerWithTheUsageInGogo() throws Exception {
        CommandProcessorImpl processor = new CommandProcessorImpl();
        processor.addCommand("scada", new ScadaCommands(), "hashpassword");
        try (CommandSessionImpl session = processor.createSession(new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream())) {
            assertEquals("Usage: " + ScadaCommands.HASHPASSWORD_USAGE + " (no argument given; quote a password that has"
                    + " spaces).", session.execute("scada:hashpassword"));
            assertTrue(String.valueOf(session.execute("scada:hashpassword correct horse battery")).startsWith("Usage: "));
            String hash = String.valueOf(session.execute("scada:hashpassword 'correct horse' " + FAST));
            assertTrue(PasswordHash.parse(hash).matches("correct horse"), hash);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain-password", "pbkdf2-sha256:1000:AAAAAAAAAAAAAAAAAAAAAA==:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "pbkdf2-sha256:x:AAAA:AAAA", "pbkdf2-sha256:20000:!!:AAAA", "md5:20000:AAAA:AAAA"})
    void malformedOrWeakHashesAreRefused(String stored) {
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(stored));
    }

    @Test
    void directoryAuthenticatesByNameAndPasswordWithRoles() {
        UserDirectory users = UserDirectory.parse(List.of(TestConfigs.user("olga", "observer", "a"),
                TestConfigs.user("otto", "OPERATOR", "b")));

        assertEquals(Optional.of(new ScadaUser("olga", ScadaUser.Role.OBSERVER)), users.authenticate("olga", "a"));
        assertEquals(Optional.of(new ScadaUser("otto", ScadaUser.Role.OPERATOR)), users.authenticate("otto", "b"));
        assertEquals(Optional.empty(), users.authenticate("otto", "a"));
        assertEquals(Optional.empty(), users.authenticate("eve", "a"));
        assertEquals(Map.of("olga", ScadaUser.Role.OBSERVER, "otto", ScadaUser.Role.OPERATOR), users.roles());
    }

    @Test
    void badUserEntriesNameTheEntry() {
        String hash = PasswordHash.create("p", FAST).toString();

        assertMessage("entry 1 ('olga'): role 'admin'", List.of("olga:admin:" + hash));
        assertMessage("entry 2 ('olga'): user 'olga' is listed twice", List.of("olga:observer:" + hash, "olga:operator:" + hash));
        assertMessage("entry 1 ('olga'): not a password hash", List.of("olga:observer:clear-text"));
        assertMessage("entry 1 ('olga') is not <name>:<role>:<password hash>", List.of("olga"));
        assertMessage("'anonymous' is reserved", List.of("anonymous:observer:" + hash));
    }

    private static void assertMessage(String expected, List<String> entries) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UserDirectory.parse(entries));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
