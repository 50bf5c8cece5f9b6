package io.linesight.scada.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerSettingsTest {

    private static final UnaryOperator<String> NO_DATA_DIR = name -> name.equals("java.io.tmpdir") ? "/tmp" : null;

    @Test
    void defaultsGiveTheDocumentedLoopbackEndpoint() {
        ServerSettings settings = ServerSettings.from(TestConfigs.config(Map.of()), NO_DATA_DIR);

        assertEquals("opc.tcp://127.0.0.1:4840", settings.endpointUrl());
        assertEquals("127.0.0.1", settings.bindAddress());
        assertEquals("LineSight", settings.applicationName());
        assertEquals("urn:linesight:opcua:server", settings.applicationUri());
        assertEquals(Path.of("/tmp/linesight/opcua-pki"), settings.pkiDirectory());
        assertEquals(Duration.ofSeconds(5), settings.shutdownTimeout());
    }

    @Test
    void pkiDefaultsIntoTheLaunchersDataFolder() {
        UnaryOperator<String> props = name -> name.equals(ServerSettings.DATA_DIR_PROPERTY) ? "/var/lib/linesight" : "/tmp";

        assertEquals(Path.of("/var/lib/linesight/opcua-pki"), ServerSettings.from(TestConfigs.config(Map.of()), props).pkiDirectory());
    }

    @Test
    void pathAndAdvertisedHostShapeTheUrl() {
        ServerSettings settings = ServerSettings.from(TestConfigs.config(Map.of(
                "endpointPath", "/linesight/", "advertisedHostname", "cell-7.plant.local", "port", 4841)), NO_DATA_DIR);

        assertEquals("opc.tcp://cell-7.plant.local:4841/linesight", settings.endpointUrl());
    }

    @Test
    void wildcardBindAdvertisesAHostNameNotTheWildcard() {
        ServerSettings settings = ServerSettings.from(TestConfigs.config(Map.of("bindAddress", "0.0.0.0")), NO_DATA_DIR);

        assertTrue(!settings.hostname().equals("0.0.0.0") && !settings.hostname().isBlank(), settings.hostname());
    }

    @Test
    void defaultsAreTheProductionProfile() {
        SecuritySettings security = ServerSettings.from(TestConfigs.config(Map.of()), NO_DATA_DIR).security();

        assertEquals(false, security.allowAnonymous());
        assertEquals(false, security.allowNone());
        assertEquals(java.util.List.of(org.eclipse.milo.opcua.stack.core.security.SecurityPolicy.Basic256Sha256,
                org.eclipse.milo.opcua.stack.core.security.SecurityPolicy.Aes128_Sha256_RsaOaep), security.policies());
        assertEquals(java.util.List.of(org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode.Sign,
                org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode.SignAndEncrypt), security.modes());
        assertTrue(security.users().isEmpty());
    }

    @Test
    void cfgFileListsAreSplitAtCommasAndSpaces() {
        String olga = TestConfigs.user("olga", "observer", "a");
        String otto = TestConfigs.user("otto", "operator", "b");
        SecuritySettings security = ServerSettings.from(TestConfigs.config(Map.of(
                "securityPolicies", new String[] {"Aes128_Sha256_RsaOaep, Basic256Sha256"},
                "messageSecurityModes", new String[] {"SignAndEncrypt"},
                "users", new String[] {olga + ", " + otto})), NO_DATA_DIR).security();

        assertEquals(2, security.policies().size());
        assertEquals(1, security.modes().size());
        assertEquals(2, security.users().roles().size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "allowAnonymous|0.0.0.0",
        "allowSecurityPolicyNone|192.0.2.7",
    })
    void demoProfileIsRefusedOffLoopback(String property, String bind) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerSettings.from(
                TestConfigs.config(Map.of(property, true, "bindAddress", bind)), NO_DATA_DIR));

        assertTrue(e.getMessage().startsWith(OpcUaScadaComponent.PID + ": property '" + property + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "securityPolicies|None|allowSecurityPolicyNone",
        "securityPolicies|Basic128Rsa15|allowed: Basic256Sha256",
        "messageSecurityModes|None|allowed: Sign, SignAndEncrypt",
        "users|olga:observer:secret|entry 1 ('olga'): not a password hash",
    })
    void badSecurityValuesNameTheProperty(String property, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerSettings.from(
                TestConfigs.config(Map.of(property, new String[] {value})), NO_DATA_DIR));

        assertTrue(e.getMessage().startsWith(OpcUaScadaComponent.PID + ": property '" + property + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "port|0|'port' = '0' must be between 1 and 65535",
        "port|70000|'port' = '70000' must be between 1 and 65535",
        "endpointPath|linesight|'endpointPath' = 'linesight' must be empty or start with '/'",
        "applicationUri|no scheme|'applicationUri'",
        "applicationName|'  '|'applicationName' = '  ' must not be empty",
        "bindAddress|no-such-host.invalid|'bindAddress' = 'no-such-host.invalid' not an IP address",
        "shutdownTimeoutMs|10|'shutdownTimeoutMs' = '10' must be at least 100",
    })
    void badValuesFailNamingThePropertyAndPid(String property, String value, String message) {
        Object typed = property.equals("port") || property.equals("shutdownTimeoutMs") ? (Object) Integer.valueOf(value) : value;

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.from(TestConfigs.config(Map.of(property, typed)), NO_DATA_DIR));

        assertTrue(e.getMessage().startsWith(OpcUaScadaComponent.PID + ": property "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
