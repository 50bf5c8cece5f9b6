package io.linesight.console;

import java.util.Map;

/**
 * The one-sentence answer to a console command typed with missing or extra arguments.
 *
 * <p>Gogo runs the public method whose parameters fit the typed arguments. When none fits, it calls the command
 * object's public {@code _main(Object...)}, with the function's name first, before it would give up with
 * {@code Cannot coerce history() to any of [(String)]} (gogo.runtime's {@code Reflective}: {@code _main} matches
 * every function, and as a varargs method it always scores worse than a form that fits). So every LineSight command
 * class has a {@code _main} that answers with the usage of the command that was typed. Gogo's {@code help} lists
 * only the methods named like the function, so {@code _main} stays out of it.
 */
final class Usage {

    private Usage() {
    }

    /**
     * "Usage: inspect:status &lt;line&gt;, e.g. inspect:status default (no argument given)."
     *
     * @param nameAndArguments what Gogo passes to {@code _main}: the function's name, then the typed arguments
     * @param usageByFunction  the usage of each function of the command object, with an example
     */
    static String wrongArguments(Object[] nameAndArguments, Map<String, String> usageByFunction) {
        String function = nameAndArguments.length == 0 ? "" : String.valueOf(nameAndArguments[0]);
        String usage = usageByFunction.get(function);
        if (usage == null) {
            return "No such command: 'linesight' lists LineSight's commands.";
        }
        return "Usage: " + usage + " (" + given(nameAndArguments.length - 1) + ").";
    }

    private static String given(int arguments) {
        return switch (arguments) {
            case 0 -> "no argument given";
            case 1 -> "1 argument given";
            default -> arguments + " arguments given";
        };
    }
}
