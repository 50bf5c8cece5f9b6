package io.linesight.scada.opcua;

import java.security.cert.X509Certificate;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfig;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.server.EndpointConfiguration;

/**
 * The endpoints the server offers. Today only the demo profile: SecurityPolicy None with anonymous
 * access. The security profile adds its signed and encrypted endpoints (and user-name tokens) here, next
 * to a trust list and a strict certificate validator; there is deliberately no accept-any validator.
 */
final class Endpoints {

    private Endpoints() {
    }

    static Set<EndpointConfiguration> of(ServerSettings settings, X509Certificate certificate) {
        return Set.of(demoEndpoint(settings, certificate));
    }

    /** No signing, no encryption, anonymous users: for a loopback demo, never for a plant network. */
    private static EndpointConfiguration demoEndpoint(ServerSettings settings, X509Certificate certificate) {
        return EndpointConfiguration.newBuilder()
                .setBindAddress(settings.bindAddress())
                .setBindPort(settings.port())
                .setHostname(settings.hostname())
                .setPath(settings.endpointPath())
                .setCertificate(certificate)
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
                .build();
    }
}
