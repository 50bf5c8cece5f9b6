package io.linesight.api.runtime;

import java.util.Dictionary;
import java.util.Hashtable;

/**
 * A listening socket of the runtime and whether it could be opened, carried in service properties: the launcher
 * names every endpoint that failed in its final start-up line ({@code 2 FAILED: OPC UA port 4840 in use, ...}) and
 * {@code --strict} makes such a start fail. Register one per endpoint when the bind has been tried; unregister it
 * when the endpoint closes.
 */
public interface ListeningEndpoint {

    /** Service property: what listens, as operators call it, e.g. {@code OPC UA}, {@code telnet console}. */
    String NAME = "linesight.endpoint.name";
    /** Service property: the address, {@code host:port}. */
    String ADDRESS = "linesight.endpoint.address";
    /** Service property, only when the endpoint could not be opened: why, e.g. {@code port 4840 in use}. */
    String FAILURE = "linesight.endpoint.failure";

    /** The service properties of an endpoint that listens. */
    static Dictionary<String, Object> listening(String name, String host, int port) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(NAME, name);
        properties.put(ADDRESS, host + ":" + port);
        return properties;
    }

    /** The service properties of an endpoint that could not be opened, and why. */
    static Dictionary<String, Object> failed(String name, String host, int port, String failure) {
        Dictionary<String, Object> properties = listening(name, host, port);
        properties.put(FAILURE, failure);
        return properties;
    }

    /** "port 4840 in use" for an address already taken, else the exception's message. */
    static String describe(int port, Throwable bindError) {
        String message = bindError.getMessage() == null ? bindError.getClass().getSimpleName() : bindError.getMessage();
        return message.toLowerCase(java.util.Locale.ROOT).contains("in use") ? "port " + port + " in use"
                : "port " + port + ": " + message;
    }

    /** The marker the registrations use as their service object. */
    ListeningEndpoint MARKER = new ListeningEndpoint() {
    };
}
