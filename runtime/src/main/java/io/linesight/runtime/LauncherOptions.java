package io.linesight.runtime;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The launcher's command line, with every folder resolved to an absolute path.
 *
 * <p>Accepts {@code --name value} and {@code --name=value}. Anything else (an unknown option, a
 * missing value, an option given twice, a stray argument) is a {@link UsageException}.
 *
 * @param config folder of configuration files watched by FileInstall (*.cfg, *.config)
 * @param data   folder for everything the runtime writes: felix-cache, logs, caches, key stores
 * @param deploy drop folder for extra bundles (*.jar), installed and started while running
 * @param help   whether the operator asked for the usage text
 * @param strict whether a start with a failed bundle or a port that could not be opened exits (status 1) instead
 *               of running on with what started
 */
public record LauncherOptions(Path config, Path data, Path deploy, boolean help, boolean strict) {

    /** The text printed by {@code --help} and after a usage error. */
    public static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar linesight.jar [options]",
            "  --config <dir>  configuration folder, *.cfg / *.config files are applied live (default ./config)",
            "  --data <dir>    runtime data: felix-cache, logs, javacpp cache, OPC UA pki (default ./var)",
            "  --deploy <dir>  drop folder for extra bundles (*.jar), created if missing (default ./deploy)",
            "  --strict        exit with status 1 if a bundle fails or a port (OPC UA, HTTP, telnet) cannot be opened",
            "  --help          print this text and exit",
            "");

    private static final Map<String, String> DEFAULTS = Map.of(
            "--config", "config", "--data", "var", "--deploy", "deploy");

    /**
     * Parses the command line; relative folders are resolved against {@code workingDir}.
     *
     * @throws UsageException with a message naming the offending argument
     */
    public static LauncherOptions parse(Path workingDir, String... args) throws UsageException {
        Map<String, String> values = new HashMap<>();
        boolean help = false;
        boolean strict = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (arg.equals("--strict")) {
                strict = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            requireKnown(name, arg);
            String value = eq > 0 ? arg.substring(eq + 1) : valueAfter(args, i++, name);
            put(values, name, value);
        }
        return new LauncherOptions(folder(workingDir, values, "--config"), folder(workingDir, values, "--data"),
                folder(workingDir, values, "--deploy"), help, strict);
    }

    private static void requireKnown(String name, String arg) throws UsageException {
        if (!DEFAULTS.containsKey(name)) {
            throw new UsageException(arg.startsWith("-") ? "Unknown option: " + arg : "Unexpected argument: " + arg);
        }
    }

    private static String valueAfter(String[] args, int index, String name) throws UsageException {
        if (index + 1 >= args.length || args[index + 1].startsWith("--")) {
            throw new UsageException("Option " + name + " needs a folder");
        }
        return args[index + 1];
    }

    private static void put(Map<String, String> values, String name, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException("Option " + name + " needs a folder");
        }
        // FileInstall splits its folder list on commas, so a comma would silently watch two wrong folders
        if (value.contains(",")) {
            throw new UsageException("Option " + name + ": folder names must not contain ',' (" + value + ")");
        }
        if (values.putIfAbsent(name, value) != null) {
            throw new UsageException("Option " + name + " given twice");
        }
    }

    private static Path folder(Path workingDir, Map<String, String> values, String name) {
        String value = values.getOrDefault(name, DEFAULTS.get(name));
        return workingDir.resolve(value).toAbsolutePath().normalize();
    }
}
