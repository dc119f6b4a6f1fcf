package org.prune4j.cli;

import org.prune4j.registry.MethodEntry;
import org.prune4j.registry.MethodRegistry;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/**
 * The usage texts, rendered by picocli from {@link Commands}: the command list ({@code ./prune4j help}), one
 * command's options ({@code ./prune4j help train} or {@code train --help}), the methods, and the hint line under
 * an error. An error prints one line and points here, so the line is never scrolled away by the whole usage.
 */
final class Help {

    private Help() {}

    /** {@code ./prune4j help}: every command with its one-line summary. */
    static String commands() {
        return Commands.all().getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing();
    }

    /**
     * The usage of {@code command}: its synopsis, summary and options. {@code methods} lists the methods; an unknown
     * name gets the command list.
     */
    static String of(String command) {
        if (command.equals("methods")) {
            return methods();
        }
        return Commands.find(command)
                .map(c -> new CommandLine(Commands.spec(c)).getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing())
                .orElseGet(Help::commands);
    }

    /**
     * {@code ./prune4j help methods}: every method of the {@link MethodRegistry}, one line of help each and the
     * settings it reads (as {@code --name} options of train, sweep and recipes).
     */
    static String methods() {
        List<String> out = new ArrayList<>();
        out.add("methods (--method NAME), with the settings each reads besides --sparsity:");
        for (MethodEntry entry : MethodRegistry.ENTRIES) {
            out.add(String.format(java.util.Locale.ROOT, "  %-14s %s", entry.name(), entry.summary()));
            if (!entry.settings().isEmpty()) {
                out.add("                 --" + String.join(", --", entry.settings()));
            }
        }
        return String.join("\n", out);
    }

    /** The hint under an error line: where the command's options are described. */
    static String hint(String[] args) {
        String command = args.length == 0 ? "" : args[0];
        return "see: ./prune4j help" + (Commands.find(command).isPresent() ? " " + command : "");
    }

    /** "unknown command", naming the command probably meant or else every command. */
    static UsageException unknownCommand(String name) {
        List<String> names = Commands.names();
        java.util.Optional<String> meant = ParseErrors.close(name, names);
        if (meant.isPresent()) {
            return new UsageException("unknown command '" + name + "': did you mean " + meant.get() + "?");
        }
        return new UsageException("unknown command '" + name + "': expected " + String.join(", ",
                names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1));
    }
}
