package org.prune4j.gap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Starts one P-GaP worker as a separate process that reads {@code in}, trains, and writes its
 * {@link PGap.WorkerResult} to {@code out}.
 */
@FunctionalInterface
public interface WorkerLauncher {

    /** Starts the worker; output and errors go to {@code log}. */
    Process start(Path in, Path out, List<Integer> grow, long seed, int epochs, Path log) throws IOException;

    /**
     * A JVM on this machine running {@code org.prune4j.cli.Main pgap-worker} with this JVM's java and class
     * path, this JVM's {@code prune4j.*} and {@code ai.djl.*} system properties, and the given train options
     * (model, dataset, optimizer, batch size...; the same options rebuild the same training there).
     */
    static WorkerLauncher cli(List<String> trainArgs) {
        List<String> args = List.copyOf(trainArgs);
        return (in, out, grow, seed, epochs, log) -> {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            System.getProperties().stringPropertyNames().stream().sorted()
                    .filter(k -> k.startsWith("prune4j.") || k.startsWith("ai.djl."))
                    .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add("org.prune4j.cli.Main");
            command.add("pgap-worker");
            command.addAll(args);
            command.addAll(List.of("--state-in", in.toString(), "--state-out", out.toString(),
                    "--grow", grow.stream().map(String::valueOf).collect(Collectors.joining(",")),
                    "--worker-seed", Long.toString(seed), "--worker-epochs", Integer.toString(epochs)));
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        };
    }
}
