package io.linesight.scada.opcua;

/**
 * Who a session belongs to, as the identity validator established it; Milo keeps it as the session's
 * identity object.
 *
 * @param name the user name, or {@value #ANONYMOUS_NAME}
 * @param role what the user may do
 */
record ScadaUser(String name, Role role) {

    static final String ANONYMOUS_NAME = "anonymous";
    /** Anonymous clients (only where the configuration allows them) may look, never act. */
    static final ScadaUser ANONYMOUS = new ScadaUser(ANONYMOUS_NAME, Role.OBSERVER);

    /** What a user may do. */
    enum Role {
        /** Browse, read, subscribe to values and events. */
        OBSERVER,
        /** Also call the line methods (reset counters, activate and roll back models). */
        OPERATOR;

        /** The role named {@code text} (case-insensitive), or null. */
        static Role of(String text) {
            for (Role role : values()) {
                if (role.name().equalsIgnoreCase(text)) {
                    return role;
                }
            }
            return null;
        }
    }

    /** True if the user may call methods. */
    boolean mayCallMethods() {
        return role == Role.OPERATOR;
    }

    /** The actor recorded by the model deployment: {@code opcua:<name>}. */
    String actor() {
        return "opcua:" + name;
    }
}
