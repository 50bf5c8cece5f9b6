package io.linesight.runtime;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the framework's exceptions into one short line an operator can act on, for example
 * {@code missing package com.example.foo [1.2.0,2.0.0)} instead of Felix's full resolver dump.
 */
final class FailureReasons {

    private static final Pattern MISSING = Pattern.compile(
            "missing requirement \\[.*?\\] ([\\w.]+); (.*?)(?: \\[caused by: (.*)\\])?$");
    private static final Pattern PACKAGE = Pattern.compile("osgi\\.wiring\\.package=([^)]+)\\)");
    private static final Pattern LOWER = Pattern.compile("\\(version>=([^)]+)\\)");
    private static final Pattern UPPER = Pattern.compile("\\(!\\(version>=([^)]+)\\)\\)");
    private static final Pattern RESOURCE = Pattern.compile("^Unable to resolve (\\S+)");

    private FailureReasons() {
    }

    /** Felix Log replaces non-JDK exceptions with this copy, whose message is "class: message". */
    static final String LOG_EXCEPTION = "org.apache.felix.log.LogException";

    /** One line saying why a bundle could not be installed, resolved or started. */
    static String describe(Throwable failure) {
        String message = firstLine(originalMessage(failure));
        if (message.startsWith("Unable to resolve")) {
            return describeResolution(message);
        }
        Throwable cause = rootCause(failure);
        if (cause == failure) {
            return message;
        }
        String type = originalClassName(cause);
        return message + " (" + type.substring(type.lastIndexOf('.') + 1) + ": " + firstLine(originalMessage(cause)) + ")";
    }

    /** Summarises a Felix "Unable to resolve ..." message; unknown shapes are returned unchanged. */
    static String describeResolution(String message) {
        int cut = message.indexOf(" Unresolved requirements:");
        String head = cut < 0 ? message : message.substring(0, cut);
        Matcher m = MISSING.matcher(head);
        if (!m.find()) {
            return message;
        }
        String missing = missing(m.group(1), m.group(2));
        return m.group(3) == null ? missing : missing + " (" + causedBy(m.group(3)) + ")";
    }

    private static String causedBy(String nested) {
        Matcher r = RESOURCE.matcher(nested);
        String who = r.find() ? r.group(1) : "a dependency";
        return "offered by " + who + ", which cannot resolve: " + describeResolution(nested);
    }

    private static String missing(String namespace, String filter) {
        Matcher pkg = PACKAGE.matcher(filter);
        if (!"osgi.wiring.package".equals(namespace) || !pkg.find()) {
            return "missing requirement " + namespace + " " + filter;
        }
        return "missing package " + pkg.group(1) + versionRange(filter);
    }

    /** {@code (version>=1.2.0)(!(version>=2.0.0))} becomes {@code " [1.2.0,2.0.0)"}. */
    static String versionRange(String filter) {
        Matcher lower = LOWER.matcher(filter);
        Matcher upper = UPPER.matcher(filter);
        String low = lower.find() ? lower.group(1) : null;
        String high = upper.find() ? upper.group(1) : null;
        if (low == null) {
            return "";
        }
        return high == null ? " " + low : " [" + low + "," + high + ")";
    }

    /** The class name of the exception, seen through Felix Log's copy. */
    static String originalClassName(Throwable t) {
        if (!LOG_EXCEPTION.equals(t.getClass().getName()) || t.getMessage() == null) {
            return t.getClass().getName();
        }
        int colon = t.getMessage().indexOf(": ");
        return colon < 0 ? t.getMessage() : t.getMessage().substring(0, colon);
    }

    /** The message of the exception, seen through Felix Log's copy. */
    static String originalMessage(Throwable t) {
        String message = t.getMessage();
        if (!LOG_EXCEPTION.equals(t.getClass().getName()) || message == null) {
            return message;
        }
        int colon = message.indexOf(": ");
        return colon < 0 ? null : message.substring(colon + 2);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "(no message)";
        }
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).strip();
    }
}
