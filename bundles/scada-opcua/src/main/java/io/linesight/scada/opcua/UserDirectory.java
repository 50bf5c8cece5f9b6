package io.linesight.scada.opcua;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The users of the OPC UA server, from the configuration: one entry per user,
 * {@code <name>:<role>:<password hash>} with role {@code observer} or {@code operator} and the hash as
 * {@code scada:hashpassword} prints it. Immutable.
 */
final class UserDirectory {

    private record Entry(ScadaUser user, PasswordHash hash) {
    }

    private final Map<String, Entry> users;
    /** Checked against when the user is unknown, so an unknown name costs as much time as a wrong password. */
    private final PasswordHash decoy;

    private UserDirectory(Map<String, Entry> users) {
        this.users = Collections.unmodifiableMap(users);
        int iterations = users.values().stream().mapToInt(e -> e.hash().iterations()).max()
                .orElse(PasswordHash.MIN_ITERATIONS);
        this.decoy = PasswordHash.create("decoy", iterations);
    }

    /**
     * Reads the entries of property {@code users}.
     *
     * @throws IllegalArgumentException naming the entry (by position and user name) and what is wrong
     */
    static UserDirectory parse(List<String> entries) {
        Map<String, Entry> users = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            String[] parts = entry.split(":", 3);
            String where = "entry " + (i + 1) + (parts.length > 0 ? " ('" + parts[0] + "')" : "");
            if (parts.length != 3 || parts[0].isBlank()) {
                throw new IllegalArgumentException(where + " is not <name>:<role>:<password hash>");
            }
            ScadaUser.Role role = ScadaUser.Role.of(parts[1]);
            if (role == null) {
                throw new IllegalArgumentException(where + ": role '" + parts[1] + "' is neither observer nor operator");
            }
            if (parts[0].equalsIgnoreCase(ScadaUser.ANONYMOUS_NAME)) {
                throw new IllegalArgumentException(where + ": '" + ScadaUser.ANONYMOUS_NAME + "' is reserved");
            }
            PasswordHash hash;
            try {
                hash = PasswordHash.parse(parts[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
            if (users.put(parts[0], new Entry(new ScadaUser(parts[0], role), hash)) != null) {
                throw new IllegalArgumentException(where + ": user '" + parts[0] + "' is listed twice");
            }
        }
        return new UserDirectory(users);
    }

    /** The user if {@code password} is theirs; empty for an unknown user or a wrong password. */
    Optional<ScadaUser> authenticate(String name, String password) {
        Entry entry = name == null ? null : users.get(name);
        if (entry == null) {
            decoy.matches(password);
            return Optional.empty();
        }
        return entry.hash().matches(password) ? Optional.of(entry.user()) : Optional.empty();
    }

    /** Users by name with their role, for the activation log line (never the hashes). */
    Map<String, ScadaUser.Role> roles() {
        Map<String, ScadaUser.Role> roles = new LinkedHashMap<>();
        users.forEach((name, entry) -> roles.put(name, entry.user().role()));
        return roles;
    }

    boolean isEmpty() {
        return users.isEmpty();
    }
}
