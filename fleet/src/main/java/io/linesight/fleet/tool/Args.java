package io.linesight.fleet.tool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A command line: {@code --name value} options and positional words; unknown options are an error. */
final class Args {

    private final Map<String, String> options = new HashMap<>();
    private final List<String> words = new ArrayList<>();

    Args(List<String> arguments, Set<String> known) {
        for (int i = 0; i < arguments.size(); i++) {
            String a = arguments.get(i);
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (!known.contains(name)) {
                    throw new UsageException("unknown option --" + name + " (known: --" + String.join(", --",
                            known.stream().sorted().toList()) + ")");
                }
                if (value == null) {
                    if (i + 1 >= arguments.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = arguments.get(++i);
                }
                options.put(name, value);
            } else {
                words.add(a);
            }
        }
    }

    String required(String name) {
        String v = options.get(name);
        if (v == null || v.isBlank()) {
            throw new UsageException("--" + name + " is required");
        }
        return v;
    }

    String optional(String name, String otherwise) {
        return options.getOrDefault(name, otherwise);
    }

    List<String> words() {
        return words;
    }

    /** Thrown for a command line that cannot be run; the tool prints it with the usage and exits 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
