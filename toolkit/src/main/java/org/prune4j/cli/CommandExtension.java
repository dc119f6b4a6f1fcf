package org.prune4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/**
 * A {@code ./prune4j} command that lives in an optional module (such as {@code spark-local} in
 * {@code prune4j-toolkit-spark}), found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/org.prune4j.cli.CommandExtension}, so the core has no dependency on that module.
 * The core parses its command line (as it parses its own), so bad options get the same one-line errors.
 */
public interface CommandExtension {

    /** The command names this extension runs. */
    Set<String> names();

    /** The {@code --name value} options that {@code command} takes, names without the dashes. */
    Set<String> options(String command);

    /**
     * Runs a command with its options (name to the value as given) and returns its exit status. Bad values are
     * answered with an {@link IllegalArgumentException} whose one-line message names the value and what is
     * accepted.
     */
    int run(String command, Map<String, String> options, PrintStream out, PrintStream err) throws IOException;
}
