package io.linesight.scada.opcua;

import org.osgi.service.component.annotations.Component;

/**
 * Gogo commands for the OPC UA server's configuration: {@code scada:hashpassword <password> [iterations]}
 * prints the salted hash to put into property {@code users} of {@value OpcUaScadaComponent#PID}, as
 * {@code <name>:<observer|operator>:<hash>}. The password itself is never stored.
 */
@Component(service = ScadaCommands.class,
        property = {"osgi.command.scope=scada", "osgi.command.function=hashpassword"})
public class ScadaCommands {

    /** A hash with the default work factor ({@value PasswordHash#DEFAULT_ITERATIONS} iterations). */
    public String hashpassword(String password) {
        return hashpassword(password, PasswordHash.DEFAULT_ITERATIONS);
    }

    /** A hash with {@code iterations} PBKDF2 iterations (at least {@value PasswordHash#MIN_ITERATIONS}). */
    public String hashpassword(String password, int iterations) {
        try {
            return PasswordHash.create(password, iterations).toString();
        } catch (IllegalArgumentException e) {
            return "Cannot hash: " + e.getMessage();
        }
    }
}
