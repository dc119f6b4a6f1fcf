package org.prune4j.cli;

import org.prune4j.registry.MethodSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options of one command, checked against the names the command accepts.
 * Every lookup converts and validates, so errors name the option and the bad value.
 */
final class Options implements MethodSettings {

    private final Map<String, String> values = new LinkedHashMap<>();

    private Options() {}

    static Options parse(String[] args, int from, Set<String> accepted, Set<String> flags) {
        Options options = new Options();
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "': options look like --name value");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            // Checked before the value: an unknown option given last is unknown, not "missing a value".
            if (!accepted.contains(name) && !flags.contains(name)) {
                throw new UsageException("unknown option --" + name + ": expected one of --" + String.join(", --", new java.util.TreeSet<>(accepted)));
            }
            if (value != null) {
                options.values.put(name, value); // given as --name=value
                continue;
            }
            if (flags.contains(name)) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("option --" + name + " needs a value");
            }
            options.values.put(name, value);
        }
        return options;
    }


    /**
     * Options from name-value pairs (a recipe file's settings with the command line's on top), checked as
     * {@link #parse} checks them.
     */
    static Options of(Map<String, String> values, Set<String> accepted, Set<String> flags) {
        List<String> args = new ArrayList<>();
        values.forEach((name, value) -> {
            args.add("--" + name + "=" + value);
        });
        return parse(args.toArray(String[]::new), 0, accepted, flags);
    }

    /** The options given, by name, in command-line order. */
    Map<String, String> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    @Override
    public String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    @Override
    public double number(String name, double fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " '" + value + "' is not a number");
        }
    }

    @Override
    public int integer(String name, int fallback, int min, int max) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " '" + value + "' is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new UsageException("--" + name + " " + parsed + " is outside [" + min + ", " + max + "]");
        }
        return parsed;
    }

    @Override
    public long longValue(String name, long fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " '" + value + "' is not a whole number");
        }
    }
}
