package org.prune4j.spark;

import org.prune4j.exec.ExecutorProvider;
import org.prune4j.exec.TrainingExecutor;

import java.util.function.Consumer;

/** Opens {@code spark://HOST:PORT} executors for {@code --executor} (registered with ServiceLoader). */
public final class SparkExecutorProvider implements ExecutorProvider {

    @Override
    public String scheme() {
        return "spark";
    }

    @Override
    public TrainingExecutor open(String url, Consumer<String> log) {
        return SparkExecutor.open(url, log);
    }
}
