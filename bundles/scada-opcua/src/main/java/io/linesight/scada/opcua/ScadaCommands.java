package io.linesight.scada.opcua;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;

/**
 * Gogo commands for the OPC UA server's configuration: {@code scada:hashpassword <password> [iterations]}
 * prints the salted hash to put into property {@code users} of {@value OpcUaScadaComponent#PID}, as
 * {@code <name>:<observer|operator>:<hash>}. The password itself is never stored.
 */
@Component(service = ScadaCommands.class,
        property = {"osgi.command.scope=scada", "osgi.command.function=hashpassword"})
public class ScadaCommands {

    static final String HASHPASSWORD_USAGE = "scada:hashpassword <password> [iterations],"
            + " e.g. scada:hashpassword 'correct horse battery'";

    /** A hash with the default work factor ({@value PasswordHash#DEFAULT_ITERATIONS} iterations). */
    @Descriptor("the salted PBKDF2 hash of a password, for property 'users' of " + OpcUaScadaComponent.PID
            + " (name:observer|operator:hash). Usage: " + HASHPASSWORD_USAGE)
    public String hashpassword(@Descriptor("password, in quotes if it has spaces") String password) {
        return hashpassword(password, PasswordHash.DEFAULT_ITERATIONS);
    }

    /** A hash with {@code iterations} PBKDF2 iterations (at least {@value PasswordHash#MIN_ITERATIONS}). */
    @Descriptor("the salted PBKDF2 hash of a password with a chosen work factor. Usage: " + HASHPASSWORD_USAGE)
    public String hashpassword(@Descriptor("password, in quotes if it has spaces") String password,
                               @Descriptor("iterations, the PBKDF2 work factor: at least " + PasswordHash.MIN_ITERATIONS
                                       + " (default " + PasswordHash.DEFAULT_ITERATIONS + ")") String iterations) {
        try {
            return hashpassword(password, Integer.parseInt(iterations.trim()));
        } catch (NumberFormatException e) {
            return "Cannot hash: '" + iterations + "' is not a number of iterations; give at least "
                    + PasswordHash.MIN_ITERATIONS + ", or leave it out for " + PasswordHash.DEFAULT_ITERATIONS + ".";
        }
    }

    String hashpassword(String password, int iterations) {
        try {
            return PasswordHash.create(password, iterations).toString();
        } catch (IllegalArgumentException e) {
            return "Cannot hash: " + e.getMessage();
        }
    }

    /**
     * Gogo calls this when no form of the command fits the typed arguments (none, or a password with spaces not
     * quoted), instead of printing "Cannot coerce hashpassword() to any of ...". The answer is the usage.
     */
    public String _main(Object... nameAndArguments) {
        int given = nameAndArguments.length - 1;
        return "Usage: " + HASHPASSWORD_USAGE + " (" + (given == 0 ? "no argument" : given + " argument"
                + (given == 1 ? "" : "s")) + " given; quote a password that has spaces).";
    }
}
