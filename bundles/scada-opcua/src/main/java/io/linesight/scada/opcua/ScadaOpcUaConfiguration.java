package io.linesight.scada.opcua;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the SCADA output (PID {@value OpcUaScadaComponent#PID}). Every attribute has a
 * default, so the server also starts without a configuration file, and the defaults are the production
 * security profile (no anonymous access, no SecurityPolicy None; without users nobody can log in);
 * {@link ServerSettings#from} validates the values and names the property that is wrong.
 */
@ObjectClassDefinition(
        id = OpcUaScadaComponent.PID,
        name = "LineSight SCADA output (OPC UA server)",
        description = "OPC UA server that shows every inspection line's state, verdicts and counters to SCADA.")
public @interface ScadaOpcUaConfiguration {

    @AttributeDefinition(name = "Bind address",
            description = "IP address or host name the server listens on. 127.0.0.1 keeps it on this machine;"
                    + " 0.0.0.0 listens on every interface (refused while allowAnonymous or allowSecurityPolicyNone is on).")
    String bindAddress() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "TCP port of the opc.tcp endpoint (1-65535).", min = "1", max = "65535")
    int port() default 4840;

    @AttributeDefinition(name = "Endpoint path",
            description = "Path after host:port in the endpoint URL, for example /linesight; empty for none.")
    String endpointPath() default "";

    @AttributeDefinition(name = "Advertised host name",
            description = "Host name put into endpoint URLs and the certificate; empty: the bind address, or this"
                    + " machine's host name when binding to every interface.")
    String advertisedHostname() default "";

    @AttributeDefinition(name = "Application name", description = "Name clients show for this server.")
    String applicationName() default "LineSight";

    @AttributeDefinition(name = "Application URI",
            description = "Globally unique URI of this server instance; also written into its certificate.")
    String applicationUri() default "urn:linesight:opcua:server";

    @AttributeDefinition(name = "PKI directory",
            description = "Folder for the server's application certificate and key (own/) and the client trust list"
                    + " (trusted/certs, issuers/, rejected/: move a rejected client certificate to trusted/certs to"
                    + " accept it); empty:"
                    + " ${linesight.data}/opcua-pki, or ${java.io.tmpdir}/linesight/opcua-pki without linesight.data.")
    String pkiDirectory() default "";

    @AttributeDefinition(name = "Shutdown timeout (ms)",
            description = "How long deactivation waits for the server to close its sessions and port.", min = "100")
    int shutdownTimeoutMs() default 5000;

    @AttributeDefinition(name = "Allow anonymous",
            description = "Let clients connect without a user (observer role: browse, read, subscribe). Demo profile"
                    + " only: refused unless bindAddress is a loopback address.")
    boolean allowAnonymous() default false;

    @AttributeDefinition(name = "Allow SecurityPolicy None",
            description = "Offer an endpoint without signing and encryption (anonymous only; passwords are never"
                    + " accepted on it). Demo profile only: refused unless bindAddress is a loopback address.")
    boolean allowSecurityPolicyNone() default false;

    @AttributeDefinition(name = "Security policies",
            description = "Secured policies offered: Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss"
                    + " (comma-separated in a .cfg file).")
    String[] securityPolicies() default {"Basic256Sha256", "Aes128_Sha256_RsaOaep"};

    @AttributeDefinition(name = "Message security modes",
            description = "Sign and/or SignAndEncrypt, offered for every security policy (comma-separated in a .cfg file).")
    String[] messageSecurityModes() default {"Sign", "SignAndEncrypt"};

    @AttributeDefinition(name = "Users",
            description = "One entry per user: <name>:<observer|operator>:<hash>, the hash printed by the Gogo command"
                    + " 'scada:hashpassword <password>' (comma- or space-separated in a .cfg file). Observers browse,"
                    + " read and subscribe; operators may also call methods. Passwords are never stored in clear.")
    String[] users() default {};
}
