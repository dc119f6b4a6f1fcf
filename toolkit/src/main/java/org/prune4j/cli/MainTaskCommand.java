package org.prune4j.cli;

import org.prune4j.exec.TaskCommand;

import java.io.PrintStream;

/** {@code ./prune4j} as the {@link TaskCommand} that executors hand each task's arguments to. */
public final class MainTaskCommand implements TaskCommand {

    @Override
    public String mainClass() {
        return Main.class.getName();
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        return Main.run(args, out, err);
    }
}
