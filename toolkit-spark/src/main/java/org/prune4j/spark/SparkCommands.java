package org.prune4j.spark;

import org.prune4j.cli.CommandExtension;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The Spark commands of {@code ./prune4j}: {@code spark-local} (a standalone Master and Worker on loopback,
 * until Ctrl-C) and {@code bench-spark} ({@link SparkSweepBenchmark}). Registered with ServiceLoader as a
 * {@link CommandExtension}, so the core toolkit runs them only when this module is on the class path.
 */
public final class SparkCommands implements CommandExtension {

    @Override
    public Set<String> names() {
        return Set.of("spark-local", "bench-spark");
    }

    @Override
    public Set<String> options(String command) {
        return command.equals("spark-local") ? Set.of("executors", "port") : Set.of("train-size", "out");
    }

    @Override
    public int run(String command, Map<String, String> options, PrintStream out, PrintStream err) throws IOException {
        if (command.equals("spark-local")) {
            int executors = integer(options, "executors", 2, 1, 64);
            int port = integer(options, "port", 7077, 0, 65535);
            LocalCluster cluster = LocalCluster.start(executors, port);
            out.println("prune4j: Spark master " + cluster.masterUrl() + " with a worker of " + executors
                    + " cores (one executor JVM per core and application); logs and work files in a temporary folder");
            out.println("prune4j: in another terminal: ./prune4j sweep ... --executor " + cluster.masterUrl());
            out.println("prune4j: Ctrl-C stops the master, the worker and their executors");
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                cluster.close();
            }
            return 0;
        }
        int trainSize = integer(options, "train-size", 0, 0, Integer.MAX_VALUE);
        Path outDir = Path.of(options.getOrDefault("out", "runs/bench-spark"));
        return SparkSweepBenchmark.run(trainSize, outDir, out);
    }

    static int integer(Map<String, String> options, String name, int fallback, int min, int max) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // Answered below.
        }
        throw new IllegalArgumentException("--" + name + " '" + value + "' is not a whole number in [" + min + ", " + max + "]");
    }
}
