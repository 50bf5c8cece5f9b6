package io.linesight.scada.opcua;

import org.eclipse.milo.opcua.stack.core.UaException;

/**
 * A client certificate was refused and {@link ClientCertificateCheck} has logged why. It carries Milo's status
 * unchanged (the client is told Bad_SecurityChecksFailed as before). The launcher's log filter
 * ({@code io.linesight.runtime.KnownNoiseFilter}) finds this class by name in the cause of Milo's ERROR line about the
 * refused channel and drops that line: keep the name, or change both.
 */
final class ClientCertificateRefused extends UaException {

    private static final long serialVersionUID = 1L;

    ClientCertificateRefused(UaException cause) {
        super(cause.getStatusCode().getValue(), "client certificate refused; the server's log says why", cause);
    }
}
