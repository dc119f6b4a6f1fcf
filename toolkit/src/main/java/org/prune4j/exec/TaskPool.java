package org.prune4j.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs tasks on a fixed number of driver threads, each of which only waits for a task running elsewhere
 * (a child JVM, a Spark executor): results in task order, {@code onResult} called as results complete but
 * never twice at once, and a failure reported after the other tasks have finished (their work is kept).
 */
public final class TaskPool {

    private TaskPool() {}

    /**
     * Runs {@code runOne} for every task, at most {@code parallel} at a time.
     *
     * @throws TaskFailedException the first failure in task order, once every task has ended
     */
    public static List<TaskResult> run(List<TrainingTask> tasks, int parallel, Function<TrainingTask, TaskResult> runOne,
                                       Consumer<TaskResult> onResult) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel tasks " + parallel + " is not at least 1");
        }
        if (tasks.isEmpty()) {
            return List.of();
        }
        Object callbacks = new Object();
        ExecutorService threads = Executors.newFixedThreadPool(Math.min(parallel, tasks.size()), runnable -> {
            Thread thread = new Thread(runnable, "prune4j-task");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<TaskResult>> futures = new ArrayList<>();
            for (TrainingTask task : tasks) {
                futures.add(threads.submit(() -> {
                    TaskResult result = runOne.apply(task);
                    synchronized (callbacks) {
                        onResult.accept(result);
                    }
                    return result;
                }));
            }
            List<TaskResult> results = new ArrayList<>();
            RuntimeException failure = null;
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof TaskFailedException failed ? failed
                                : new TaskFailedException(tasks.get(i).name(), String.valueOf(e.getCause()), e.getCause());
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for training tasks", e);
        } finally {
            threads.shutdownNow();
        }
    }
}
