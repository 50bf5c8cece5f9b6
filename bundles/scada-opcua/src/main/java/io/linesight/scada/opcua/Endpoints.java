package io.linesight.scada.opcua;

import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfig;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.server.EndpointConfiguration;

/**
 * The endpoints the server offers, from its {@link SecuritySettings}: one per secured policy and mode
 * (user name tokens, plus anonymous where allowed), the None endpoint of the demo profile (anonymous
 * only: a password is never accepted on an unencrypted channel), and, when None is off, the
 * {@code <path>/discovery} endpoint without security that OPC UA clients use to fetch the endpoint list and
 * the server certificate. Milo serves only GetEndpoints and FindServers there: no session can be opened on
 * it. There is deliberately no accept-any certificate validator anywhere.
 */
final class Endpoints {

    private Endpoints() {
    }

    static Set<EndpointConfiguration> of(ServerSettings settings, X509Certificate certificate) {
        SecuritySettings security = settings.security();
        Set<EndpointConfiguration> endpoints = new LinkedHashSet<>();
        for (SecurityPolicy policy : security.policies()) {
            for (MessageSecurityMode mode : security.modes()) {
                EndpointConfiguration.Builder secured = base(settings, certificate)
                        .setSecurityPolicy(policy)
                        .setSecurityMode(mode)
                        .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
                if (security.allowAnonymous()) {
                    secured.addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
                }
                endpoints.add(secured.build());
            }
        }
        if (security.allowNone()) {
            endpoints.add(base(settings, certificate)
                    .setSecurityPolicy(SecurityPolicy.None)
                    .setSecurityMode(MessageSecurityMode.None)
                    .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
                    .build());
        } else {
            endpoints.add(base(settings, certificate)
                    .setPath(settings.endpointPath() + "/discovery")
                    .setSecurityPolicy(SecurityPolicy.None)
                    .setSecurityMode(MessageSecurityMode.None)
                    .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
                    .build());
        }
        return endpoints;
    }

    private static EndpointConfiguration.Builder base(ServerSettings settings, X509Certificate certificate) {
        return EndpointConfiguration.newBuilder()
                .setBindAddress(settings.bindAddress())
                .setBindPort(settings.port())
                .setHostname(settings.hostname())
                .setPath(settings.endpointPath())
                .setCertificate(certificate);
    }
}
