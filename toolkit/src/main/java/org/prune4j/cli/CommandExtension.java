package org.prune4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Set;

/**
 * A {@code ./prune4j} command that lives in an optional module (such as {@code spark-local} in
 * {@code prune4j-toolkit-spark}), found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/org.prune4j.cli.CommandExtension}, so the core has no dependency on that module.
 */
public interface CommandExtension {

    /** The command names this extension runs. */
    Set<String> names();

    /**
     * Runs a command ({@code args[0]} is its name) and returns its exit status. Bad input is answered with an
     * {@link IllegalArgumentException} whose one-line message names the value and what is accepted.
     */
    int run(String[] args, PrintStream out, PrintStream err) throws IOException;
}
