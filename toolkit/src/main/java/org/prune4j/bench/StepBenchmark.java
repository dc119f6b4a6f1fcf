package org.prune4j.bench;

import java.io.PrintStream;
import java.nio.file.Path;

/** Placeholder replaced below. */
public final class StepBenchmark {
    private StepBenchmark() {}

    /** Runs the benchmark. */
    public static void run(int steps, Path csv, PrintStream out) {
        throw new IllegalStateException("bench not built yet");
    }
}
