package io.linesight.scada.opcua;

/** The server's endpoint cannot listen on its address and port (taken by another process, or not local). */
final class EndpointUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    EndpointUnavailableException(ServerSettings settings, String reason) {
        super("OPC UA server cannot listen on " + settings.bindAddress() + ":" + settings.port() + " (" + reason
                + "); the SCADA output stays off until 'port' or 'bindAddress' of configuration "
                + OpcUaScadaComponent.PID + " names a free address");
    }
}
