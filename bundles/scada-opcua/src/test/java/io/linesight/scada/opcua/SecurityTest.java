package io.linesight.scada.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.SignedIdentityToken;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfig;
import org.eclipse.milo.opcua.stack.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.client.UaStackClient;
import org.eclipse.milo.opcua.stack.client.UaStackClientConfig;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ApplicationType;
import org.eclipse.milo.opcua.stack.core.types.structured.ApplicationDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateSessionRequest;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.AnonymousIdentityToken;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.SignatureData;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production profile (the configuration defaults) against a real Milo client: signed and encrypted
 * endpoints only, users with hashed passwords, client certificates through the trust list folders.
 */
class SecurityTest {

    @TempDir
    static Path pki;

    private static OpcUaScadaComponent component;
    private static String url;
    private static ClientCertificate trusted;

    @BeforeAll
    static void start() throws Exception {
        component = new OpcUaScadaComponent(TestConfigs.production(TestConfigs.freePort(), pki,
                TestConfigs.user("olga", "observer", "olga-secret"), TestConfigs.user("otto", "operator", "otto-secret")));
        url = component.endpointUrl().orElseThrow();
        trusted = ClientCertificate.create("urn:linesight:test:scada");
        trusted.trustIn(pki);
    }

    @AfterAll
    static void stop() throws Exception {
        component.deactivate();
    }

    @Test
    void onlySignedAndEncryptedEndpointsWithUserNameTokensAreOffered() throws Exception {
        List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(url + "/discovery").get();

        Set<String> offered = endpoints.stream()
                .map(e -> SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri()).orElseThrow() + "/" + e.getSecurityMode())
                .collect(Collectors.toSet());
        assertEquals(Set.of("Basic256Sha256/Sign", "Basic256Sha256/SignAndEncrypt", "Aes128_Sha256_RsaOaep/Sign",
                "Aes128_Sha256_RsaOaep/SignAndEncrypt"), offered);
        assertEquals(Set.of(UserTokenType.UserName), endpoints.stream()
                .flatMap(e -> Stream.of(e.getUserIdentityTokens())).map(UserTokenPolicy::getTokenType)
                .collect(Collectors.toSet()));
    }

    @Test
    void securityPolicyNoneCannotOpenASession() throws Exception {
        // A client that picks None from the endpoint list finds none.
        assertThrows(Exception.class, () -> ScadaClient.connect(url).close());

        // A hostile client that forces None onto the main URL gets no secure channel.
        for (String target : List.of(url)) {
            EndpointDescription none = new EndpointDescription(target, null, null, MessageSecurityMode.None,
                    SecurityPolicy.None.getUri(), new UserTokenPolicy[] {OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS},
                    TransportProfile.TCP_UASC_UABINARY.getUri(), ubyte(0));
            OpcUaClient client = OpcUaClient.create(OpcUaClientConfig.builder().setEndpoint(none)
                    .setApplicationUri("urn:linesight:test:hostile").setRequestTimeout(uint(5_000)).build());
            try {
                assertThrows(ExecutionException.class, () -> client.connect().get(10, java.util.concurrent.TimeUnit.SECONDS),
                        target);
            } finally {
                client.disconnect();
            }
        }
    }

    @Test
    void theUnsecuredDiscoveryEndpointServesNoSessions() throws Exception {
        EndpointDescription discovery = new EndpointDescription(url + "/discovery", null, null, MessageSecurityMode.None,
                SecurityPolicy.None.getUri(), null, TransportProfile.TCP_UASC_UABINARY.getUri(), ubyte(0));
        UaStackClient stack = UaStackClient.create(UaStackClientConfig.builder().setEndpoint(discovery)
                .setRequestTimeout(uint(5_000)).build());
        try {
            ScadaClient.get(stack.connect());
            CreateSessionRequest createSession = new CreateSessionRequest(stack.newRequestHeader(),
                    new ApplicationDescription("urn:linesight:test:hostile", null, LocalizedText.english("hostile"),
                            ApplicationType.Client, null, null, null),
                    null, url + "/discovery", "hostile", null, null, 60_000.0, uint(0));

            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> stack.sendRequest(createSession).get(10, java.util.concurrent.TimeUnit.SECONDS));

            assertEquals(new org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode(StatusCodes.Bad_ServiceUnsupported),
                    ((UaException) e.getCause()).getStatusCode(), e.toString());
        } finally {
            stack.disconnect().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void anonymousIsRefusedEvenOverAnEncryptedChannel() {
        // Milo's own AnonymousProvider gives up when no endpoint offers anonymous; a hostile client would not.
        IdentityProvider anonymousAnyway = (endpoint, nonce) -> new SignedIdentityToken(
                new AnonymousIdentityToken("anonymous"), new SignatureData(null, null));

        assertThrows(ExecutionException.class, () -> ScadaClient.connect(url, trusted, SecurityPolicy.Basic256Sha256,
                MessageSecurityMode.SignAndEncrypt, new AnonymousProvider()).close());
        ExecutionException e = assertThrows(ExecutionException.class, () -> ScadaClient.connect(url, trusted,
                SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt, anonymousAnyway).close());
        assertTrue(e.getCause() instanceof UaException, e.toString());
        assertTrue(((UaException) e.getCause()).getStatusCode().isBad(), e.toString());
    }

    @Test
    void wrongPasswordAndUnknownUserAreRefused() {
        assertStatus(StatusCodes.Bad_UserAccessDenied, () -> ScadaClient.login(url, trusted, "olga", "wrong").close());
        assertStatus(StatusCodes.Bad_UserAccessDenied, () -> ScadaClient.login(url, trusted, "nobody", "olga-secret").close());
    }

    @Test
    void observerReadsOverBasic256Sha256AndOperatorOverAes128Sha256RsaOaep() throws Exception {
        try (ScadaClient observer = ScadaClient.login(url, trusted, "olga", "olga-secret")) {
            assertTrue(observer.read("Runtime/Version").getStatusCode().isGood());
        }
        try (ScadaClient operator = ScadaClient.connect(url, trusted, SecurityPolicy.Aes128_Sha256_RsaOaep,
                MessageSecurityMode.Sign, new UsernameProvider("otto", "otto-secret"))) {
            assertTrue(operator.read("Runtime/LineCount").getStatusCode().isGood());
        }
    }

    @Test
    void unknownClientCertificateIsRefusedLandsInRejectedAndIsAcceptedOnceMovedToTrusted() throws Exception {
        ClientCertificate stranger = ClientCertificate.create("urn:linesight:test:stranger");

        assertThrows(Exception.class, () -> ScadaClient.login(url, stranger, "olga", "olga-secret").close());

        Path rejected = ScadaClient.poll(() -> rejectedFile(stranger));
        assertEquals("LineSight test SCADA urn_linesight_test_stranger [" + RejectedCertificates.thumbprint(stranger.certificate())
                + "].der", rejected.getFileName().toString(), "readable: the client's name and the thumbprint clients show");
        Files.move(rejected, pki.resolve("trusted/certs").resolve(rejected.getFileName()));
        // Milo's folder watcher picks the move up asynchronously; a client simply tries again.
        try (ScadaClient accepted = ScadaClient.poll(() -> {
            try {
                return ScadaClient.login(url, stranger, "olga", "olga-secret");
            } catch (Exception e) {
                return null;
            }
        })) {
            assertTrue(accepted.read("Runtime/Version").getStatusCode().isGood());
        }
    }

    private static Path rejectedFile(ClientCertificate certificate) {
        try (Stream<Path> files = Files.list(pki.resolve("rejected"))) {
            byte[] encoded = certificate.certificate().getEncoded();
            return files.filter(f -> {
                try {
                    return java.util.Arrays.equals(Files.readAllBytes(f), encoded);
                } catch (java.io.IOException e) {
                    return false;
                }
            }).findFirst().orElse(null);
        } catch (Exception e) {
            return null;
        }
    }

    private static void assertStatus(long expected, org.junit.jupiter.api.function.Executable connect) {
        ExecutionException e = assertThrows(ExecutionException.class, connect);
        assertTrue(e.getCause() instanceof UaException, e.toString());
        assertEquals(new org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode(expected),
                ((UaException) e.getCause()).getStatusCode(), e.toString());
    }
}
