package io.linesight.scada.opcua;

/**
 * Stand-in with the name of the SCADA bundle's exception (bundles/scada-opcua), which the launcher's
 * {@code KnownNoiseFilter} recognises by name: the launcher cannot depend on a bundle.
 */
public class ClientCertificateRefused extends Exception {

    private static final long serialVersionUID = 1L;

    public ClientCertificateRefused() {
        super("client certificate refused; the server's log says why");
    }
}
