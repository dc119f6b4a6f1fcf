package org.prune4j.exec;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs independent {@link TrainingTask}s (the settings of a sweep, the K workers of a P-GaP round) and hands
 * back their output files as bytes. Implementations: {@link InProcessExecutor} (one after another in this
 * JVM, the default), {@link ProcessExecutor} (one JVM per task on this machine) and, in the optional
 * {@code prune4j-toolkit-spark} module, a Spark executor (one task per Spark task, one training at a time
 * per executor JVM). {@link TrainingExecutors#open} picks one from {@code local}, {@code processes} or a
 * {@code spark://HOST:PORT} URL.
 *
 * <p>Every implementation gives the same results for the same tasks: a training depends only on its command
 * line (its seed included) and its input files, never on where it runs.
 */
public interface TrainingExecutor extends AutoCloseable {

    /**
     * Runs every task and returns their results in task order. {@code onResult} hears of each result as soon
     * as it is complete (in completion order, never two calls at once), so a caller can save finished work
     * before the last task ends.
     *
     * @throws TaskFailedException when a task failed for good (after the executor's own retries); the tasks
     *                             that finished were still handed to {@code onResult}
     */
    List<TaskResult> run(List<TrainingTask> tasks, Consumer<TaskResult> onResult);

    /** Runs every task; results in task order. */
    default List<TaskResult> run(List<TrainingTask> tasks) {
        return run(tasks, result -> {});
    }

    /** One line: where the tasks run, such as "in this JVM, one after another". */
    String describe();

    /** Releases what the executor holds (a Spark context, temporary folders); idempotent. */
    @Override
    default void close() {}
}
