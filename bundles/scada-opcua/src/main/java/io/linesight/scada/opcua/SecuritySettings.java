package io.linesight.scada.opcua;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

/**
 * Who may connect and how, validated from {@link ScadaOpcUaConfiguration}.
 *
 * <p>The production profile is the configuration's defaults: no anonymous access, no SecurityPolicy None,
 * Basic256Sha256 and Aes128_Sha256_RsaOaep with Sign and SignAndEncrypt, users with passwords. The demo
 * profile adds SecurityPolicy None and anonymous (observer) access, and is refused unless the server binds
 * to a loopback address: an open endpoint must never reach a plant network by accident.
 *
 * @param allowAnonymous  anonymous sessions (observer role)
 * @param allowNone       an endpoint without signing and encryption
 * @param policies        the secured policies offered, in configuration order
 * @param modes           Sign and/or SignAndEncrypt, offered for each policy
 * @param users           the configured users
 */
record SecuritySettings(boolean allowAnonymous, boolean allowNone, List<SecurityPolicy> policies,
                        List<MessageSecurityMode> modes, UserDirectory users) {

    SecuritySettings {
        policies = List.copyOf(policies);
        modes = List.copyOf(modes);
    }

    /** True when anonymous or unencrypted access is on: the demo profile. */
    boolean isDemo() {
        return allowAnonymous || allowNone;
    }

    /**
     * Validates the security properties.
     *
     * @throws IllegalArgumentException naming the property that is wrong and why
     */
    static SecuritySettings from(ScadaOpcUaConfiguration config, InetAddress bind) {
        List<SecurityPolicy> policies = policies(list(config.securityPolicies()));
        List<MessageSecurityMode> modes = modes(list(config.messageSecurityModes()));
        UserDirectory users;
        try {
            users = UserDirectory.parse(list(config.users()));
        } catch (IllegalArgumentException e) {
            throw ServerSettings.invalidProperty("users", e.getMessage());
        }
        SecuritySettings security = new SecuritySettings(config.allowAnonymous(), config.allowSecurityPolicyNone(),
                policies, modes, users);
        if (security.isDemo() && !bind.isLoopbackAddress()) {
            String property = config.allowAnonymous() ? "allowAnonymous" : "allowSecurityPolicyNone";
            throw ServerSettings.invalidProperty(property, "is true while 'bindAddress' = '" + config.bindAddress()
                    + "' is not a loopback address: anonymous and unencrypted access (the demo profile) are only"
                    + " allowed on 127.0.0.1/::1. Set allowAnonymous=false and allowSecurityPolicyNone=false (the"
                    + " production profile), or bind to 127.0.0.1");
        }
        if (policies.isEmpty() && !security.allowNone()) {
            throw ServerSettings.invalidProperty("securityPolicies", "is empty and SecurityPolicy None is off: no client could connect");
        }
        return security;
    }

    /**
     * The values of a list property. Config Admin gives arrays; a {@code .cfg} file gives one string, so
     * every element is also split at commas and white space.
     */
    static List<String> list(String[] values) {
        List<String> items = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                if (value != null) {
                    for (String item : value.split("[,\\s]+")) {
                        if (!item.isEmpty()) {
                            items.add(item);
                        }
                    }
                }
            }
        }
        return items;
    }

    private static List<SecurityPolicy> policies(List<String> names) {
        Set<SecurityPolicy> policies = new LinkedHashSet<>();
        for (String name : names) {
            SecurityPolicy policy = switch (name) {
                case "Basic256Sha256" -> SecurityPolicy.Basic256Sha256;
                case "Aes128_Sha256_RsaOaep" -> SecurityPolicy.Aes128_Sha256_RsaOaep;
                case "Aes256_Sha256_RsaPss" -> SecurityPolicy.Aes256_Sha256_RsaPss;
                case "None" -> throw ServerSettings.invalidProperty("securityPolicies",
                        "lists None; use allowSecurityPolicyNone=true (demo profile, loopback only) instead");
                default -> throw ServerSettings.invalidProperty("securityPolicies", "names '" + name
                        + "'; allowed: Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss (the deprecated"
                        + " Basic128Rsa15 and Basic256 are not offered)");
            };
            policies.add(policy);
        }
        return List.copyOf(policies);
    }

    private static List<MessageSecurityMode> modes(List<String> names) {
        Set<MessageSecurityMode> modes = new LinkedHashSet<>();
        for (String name : names) {
            switch (name) {
                case "Sign" -> modes.add(MessageSecurityMode.Sign);
                case "SignAndEncrypt" -> modes.add(MessageSecurityMode.SignAndEncrypt);
                default -> throw ServerSettings.invalidProperty("messageSecurityModes", "names '" + name
                        + "'; allowed: Sign, SignAndEncrypt");
            }
        }
        if (modes.isEmpty()) {
            throw ServerSettings.invalidProperty("messageSecurityModes", "is empty; list Sign and/or SignAndEncrypt");
        }
        return List.copyOf(modes);
    }
}
