package io.linesight.console;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Gogo command {@code linesight}: LineSight's own console commands and only those (Felix's dozens stay out), grouped
 * by scope, one line per form with its arguments and what it does. It is built from the command services that run
 * now, so a command of an upgraded or added bundle appears by itself. {@code help <scope>:<function>} (Gogo's) shows
 * the same description with the arguments' meanings, the usage and an example: every command's description ends with
 * {@code ". Usage: <command> <arguments>, e.g. <example>"}, which the overview leaves out.
 */
@Component(service = Object.class, property = {
    CommandProcessor.COMMAND_SCOPE + "=linesight",
    CommandProcessor.COMMAND_FUNCTION + "=linesight"})
public final class CommandOverview {

    /** One command service: its scope, its functions, and the object whose methods implement them. */
    record Commands(String scope, List<String> functions, Object service) {
    }

    /** Where a command's description ends and its usage begins, by the convention of LineSight's commands. */
    private static final String USAGE = ". Usage: ";

    private final BundleContext context;

    @Activate
    public CommandOverview(BundleContext context) {
        this.context = context;
    }

    static final String LINESIGHT_USAGE = "linesight, without arguments";

    @Descriptor("LineSight's console commands, grouped, with their arguments and what each does. Usage: "
            + LINESIGHT_USAGE)
    public String linesight() {
        return format(running());
    }

    /** Extra arguments: the usage (see {@link Usage}). */
    public String _main(Object... nameAndArguments) {
        return Usage.wrongArguments(nameAndArguments, Map.of("linesight", LINESIGHT_USAGE));
    }

    /**
     * The command services of LineSight's bundles running now, whatever interface they are registered under (Gogo
     * finds commands by their scope property, so does this).
     */
    private List<Commands> running() {
        ServiceReference<?>[] references;
        try {
            references = context.getServiceReferences((String) null, "(" + CommandProcessor.COMMAND_SCOPE + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // a constant filter
        }
        List<Commands> found = new ArrayList<>();
        for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
            String bundle = reference.getBundle() == null ? null : reference.getBundle().getSymbolicName();
            if (bundle == null || !bundle.startsWith("io.linesight.")) {
                continue;
            }
            Object service = context.getService(reference);
            if (service != null) {
                try {
                    found.add(new Commands(String.valueOf(reference.getProperty(CommandProcessor.COMMAND_SCOPE)),
                            functions(reference.getProperty(CommandProcessor.COMMAND_FUNCTION)), service));
                } finally {
                    context.ungetService(reference);
                }
            }
        }
        return found;
    }

    /** The overview: one block per scope, one line per form of each function. Pure. */
    static String format(List<Commands> all) {
        Map<String, List<String>> byScope = new TreeMap<>();
        for (Commands c : all) {
            for (String function : c.functions()) {
                byScope.computeIfAbsent(c.scope(), k -> new ArrayList<>()).addAll(forms(c.scope(), function, c.service()));
            }
        }
        StringBuilder out = new StringBuilder("LineSight commands ('help <command>' for usage, arguments and an example):\n");
        byScope.forEach((scope, lines) -> {
            out.append('\n').append(scope).append('\n');
            lines.stream().distinct().sorted().forEach(l -> out.append("  ").append(l).append('\n'));
        });
        return out.toString().stripTrailing();
    }

    /** "scope:function <arg> ... — description" for each public method implementing the function. */
    static List<String> forms(String scope, String function, Object service) {
        List<String> forms = new ArrayList<>();
        Method[] methods = service.getClass().getMethods();
        Arrays.sort(methods, Comparator.comparingInt(Method::getParameterCount));
        for (Method m : methods) {
            if (!m.getName().equals(function) || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            StringBuilder form = new StringBuilder(scope).append(':').append(function);
            for (Parameter p : m.getParameters()) {
                form.append(" <").append(argumentName(p)).append('>');
            }
            Descriptor d = m.getAnnotation(Descriptor.class);
            forms.add(form + (d == null ? "" : "  " + whatItDoes(d.value())));
        }
        if (forms.isEmpty()) {
            forms.add(scope + ":" + function);
        }
        return forms;
    }

    /** A command's description without its usage and example, which 'help <command>' shows. */
    static String whatItDoes(String description) {
        int usage = description.indexOf(USAGE);
        return usage < 0 ? description : description.substring(0, usage);
    }

    /** The argument's short name: the first words of its description, or its type. */
    private static String argumentName(Parameter p) {
        Descriptor d = p.getAnnotation(Descriptor.class);
        if (d == null) {
            return p.getType().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        }
        String text = d.value();
        int cut = text.indexOf(',');
        return (cut > 0 ? text.substring(0, cut) : text).trim();
    }

    private static List<String> functions(Object property) {
        if (property instanceof String[] array) {
            return List.of(array);
        }
        return property == null ? List.of() : List.of(String.valueOf(property));
    }
}
