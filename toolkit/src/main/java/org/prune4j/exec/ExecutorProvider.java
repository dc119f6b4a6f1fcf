package org.prune4j.exec;

import java.util.function.Consumer;

/**
 * A {@link TrainingExecutor} that lives in an optional module, found with {@link java.util.ServiceLoader}
 * (listed in {@code META-INF/services/org.prune4j.exec.ExecutorProvider}), so the core toolkit needs no
 * compile-time dependency on it. {@code prune4j-toolkit-spark} provides {@code spark://HOST:PORT}.
 */
public interface ExecutorProvider {

    /** The URL scheme this provider opens, such as {@code spark}. */
    String scheme();

    /**
     * Opens an executor for {@code url} (which starts with {@link #scheme()} and {@code ://}); notes worth a
     * user's attention (a retried task, a lost executor) go to {@code log}.
     */
    TrainingExecutor open(String url, Consumer<String> log);
}
