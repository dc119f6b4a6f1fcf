package org.prune4j.exec;

import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * The executors by name, as {@code --executor} gives them: {@code local} (in this JVM, the default),
 * {@code processes} or {@code processes:N} (JVMs on this machine, one per core or N at a time), or a URL
 * such as {@code spark://HOST:PORT} that an {@link ExecutorProvider} on the class path opens.
 */
public final class TrainingExecutors {

    /** The default executor's name. */
    public static final String LOCAL = "local";

    private TrainingExecutors() {}

    /**
     * Checks a name without opening anything (no Spark context, no process).
     *
     * @throws IllegalArgumentException naming the value and what is accepted
     */
    public static void check(String spec) {
        if (spec.equals(LOCAL) || spec.equals("processes")) {
            return;
        }
        if (spec.startsWith("processes:")) {
            processes(spec);
            return;
        }
        int scheme = spec.indexOf("://");
        if (scheme > 0) {
            String hosts = spec.substring(scheme + 3);
            // HOST:PORT, or several for a master with standby masters: spark://h1:7077,h2:7077
            if (!hosts.matches("[^:,/]+:\\d{1,5}(,[^:,/]+:\\d{1,5})*")) {
                throw new IllegalArgumentException("--executor " + spec + ": expected HOST:PORT after "
                        + spec.substring(0, scheme + 3) + ", such as spark://127.0.0.1:7077");
            }
            provider(spec.substring(0, scheme), spec);
            return;
        }
        throw unknown(spec);
    }

    /** Opens the executor a name stands for; the caller closes it. Notes go to {@code log}. */
    public static TrainingExecutor open(String spec, Consumer<String> log) {
        check(spec);
        if (spec.equals(LOCAL)) {
            return new InProcessExecutor();
        }
        if (spec.equals("processes")) {
            return ProcessExecutor.perCore();
        }
        if (spec.startsWith("processes:")) {
            return new ProcessExecutor(processes(spec));
        }
        int scheme = spec.indexOf("://");
        return provider(spec.substring(0, scheme), spec).open(spec, log);
    }

    private static int processes(String spec) {
        String count = spec.substring("processes:".length());
        try {
            int n = Integer.parseInt(count);
            if (n >= 1 && n <= 1024) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // Answered below.
        }
        throw new IllegalArgumentException("--executor " + spec + ": the number of processes '" + count
                + "' is not a whole number in [1, 1024]");
    }

    private static ExecutorProvider provider(String scheme, String spec) {
        for (ExecutorProvider provider : ServiceLoader.load(ExecutorProvider.class)) {
            if (provider.scheme().equals(scheme)) {
                return provider;
            }
        }
        if (scheme.equals("spark")) {
            throw new IllegalArgumentException("--executor " + spec + " needs the prune4j-toolkit-spark module on the class"
                    + " path: run through ./prune4j (which builds it for a spark:// executor) or build with mvn -Pspark");
        }
        throw unknown(spec);
    }

    private static IllegalArgumentException unknown(String spec) {
        return new IllegalArgumentException("unknown executor '" + spec
                + "': expected local, processes, processes:N or spark://HOST:PORT");
    }
}
