package org.prune4j.cli;

import org.prune4j.registry.MethodSettings;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options of one command, parsed by picocli against the names the command accepts
 * ({@link Commands}). Every lookup converts and validates, so errors name the option and the bad value.
 */
final class Options implements MethodSettings {

    private final Map<String, String> values = new LinkedHashMap<>();

    private Options() {}

    /** A command's options from {@code args[from..]}, parsed against its entry in {@link Commands}. */
    static Options parse(String[] args, int from, Commands.Command command) {
        return parse(args, from, Commands.spec(command));
    }

    /** {@code --name value} options and switches from {@code args[from..]}, for option lists built in code. */
    static Options parse(String[] args, int from, Set<String> accepted, Set<String> flags) {
        return parse(args, from, Commands.spec(accepted, flags));
    }

    /**
     * Parses with picocli and keeps every value as the text given (each lookup converts and validates it, so the
     * error names the option and the bad value). picocli's errors become one line each, as the bad-input rule asks.
     */
    private static Options parse(String[] args, int from, CommandSpec spec) {
        String[] given = java.util.Arrays.copyOfRange(args, Math.min(from, args.length), args.length);
        ParseResult result;
        try {
            result = new CommandLine(spec).parseArgs(given);
        } catch (ParameterException e) {
            throw ParseErrors.of(e, spec);
        }
        Options options = new Options();
        for (OptionSpec option : result.matchedOptions()) {
            String name = option.longestName().substring(2);
            List<String> texts = option.originalStringValues();
            // A repeated option keeps its last value; a switch given bare is on.
            options.values.put(name, texts.isEmpty() ? "true" : texts.get(texts.size() - 1));
        }
        options.helpRequested = result.isUsageHelpRequested();
        List<String> positional = result.matchedPositionals().stream()
                .flatMap(p -> p.originalStringValues().stream()).toList();
        options.positional = positional.isEmpty() ? null : positional.get(0);
        return options;
    }

    private String positional;
    private boolean helpRequested;

    /** Whether {@code --help} (or {@code -h}) was given: the command shows its options instead of running. */
    boolean helpRequested() {
        return helpRequested;
    }

    /** The word given before the options, for a command that takes one (reproduce NAME); null if none. */
    String positional() {
        return positional;
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
