package org.prune4j.cli;

import org.prune4j.registry.MethodEntry;
import org.prune4j.registry.MethodRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of the usage text that concerns one command, for {@code ./prune4j help COMMAND} and for the
 * hint line under an error. An error prints one line and points here, so the line is never scrolled away
 * by the whole usage.
 */
final class Help {

    private Help() {}

    /**
     * The usage of {@code command}: its line from the command list, then its options section ({@code
     * "train options:"} or {@code "infer options:  ..."}), and for demo and sweep the train options they
     * accept too. An unknown command gets the whole usage.
     */
    static String of(String usage, String command) {
        if (command.equals("methods")) {
            return methods();
        }
        List<String> lines = usage.lines().toList();
        String summary = lines.stream().filter(l -> l.startsWith("  " + command + " ")).findFirst().orElse(null);
        if (summary == null) {
            return usage;
        }
        List<String> out = new ArrayList<>();
        out.add("usage: ./prune4j " + command + " [options]");
        out.add(summary.strip());
        String section = command.equals("demo") ? "train" : command;
        addSection(lines, section, out);
        if (command.equals("sweep")) {
            addSection(lines, "train", out);
        }
        return String.join("\n", out);
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

    /** Adds the lines from the header {@code "NAME options:"} or {@code "NAME:"} to the next blank line. */
    private static void addSection(List<String> lines, String name, List<String> out) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith(name + " options:") || line.startsWith(name + ":")) {
                out.add("");
                for (int j = i; j < lines.size() && !lines.get(j).isBlank(); j++) {
                    out.add(lines.get(j));
                }
                return;
            }
        }
    }

    /** The hint under an error line: where the command's options are described. */
    static String hint(String[] args) {
        String command = args.length == 0 ? "" : args[0];
        boolean known = !command.isEmpty() && !command.startsWith("-");
        return "see: ./prune4j help" + (known && Main.USAGE.lines().anyMatch(l -> l.startsWith("  " + command + " "))
                ? " " + command : "");
    }
}
