package org.prune4j.exec;

import java.io.PrintStream;
import java.util.ServiceLoader;

/**
 * The program that a {@link TrainingTask}'s argument list is given to: the toolkit's command line. Executors
 * run it in this JVM ({@link #run}) or start it in another one ({@link #mainClass}).
 *
 * <p>Why a service and not a call: the command line sits above the executors (it chooses and drives them), so
 * {@code exec} names no class of {@code cli}. The toolkit lists its implementation in
 * {@code META-INF/services/org.prune4j.exec.TaskCommand}, as optional executors list themselves under
 * {@link ExecutorProvider}.
 */
public interface TaskCommand {

    /** The class whose {@code main} runs the command in a JVM of its own. */
    String mainClass();

    /**
     * Runs the command in this JVM with its output on {@code out} and {@code err}.
     *
     * @return its exit status: 0 for success, 2 for bad input, 1 for a failure
     */
    int run(String[] args, PrintStream out, PrintStream err);

    /**
     * The command line found on the class path.
     *
     * @throws IllegalStateException when none is listed (a class path without the toolkit's resources)
     */
    static TaskCommand installed() {
        return ServiceLoader.load(TaskCommand.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no org.prune4j.exec.TaskCommand on the class path: expected the toolkit's"
                        + " META-INF/services/org.prune4j.exec.TaskCommand"));
    }
}
