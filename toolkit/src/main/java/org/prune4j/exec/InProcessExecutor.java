package org.prune4j.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The default executor ({@code --executor local}): every task in this JVM, one after another (DJL allows one
 * training at a time per process). It stops at the first failure; the tasks before it were handed over.
 */
public final class InProcessExecutor implements TrainingExecutor {

    @Override
    public List<TaskResult> run(List<TrainingTask> tasks, Consumer<TaskResult> onResult) {
        List<TaskResult> results = new ArrayList<>();
        for (TrainingTask task : tasks) {
            TaskResult result;
            try {
                result = TaskRunner.runHere(task, Files.createTempDirectory("prune4j-task-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            onResult.accept(result);
            results.add(result);
        }
        return results;
    }

    @Override
    public String describe() {
        return "in this JVM, one training after another";
    }
}
