package org.prune4j.spark;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.jni.JniUtils;
import org.prune4j.cli.Main;
import org.prune4j.exec.TaskRunner;
import org.prune4j.io.AtomicFiles;
import tech.tablesaw.api.Table;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./prune4j bench-spark}: one 8-setting LeNet-300-100 sweep on MNIST (gmp, rigl x 0.9, 0.95 x seeds 1, 2;
 * one epoch), trained four times in this one run: with the in-process executor at this JVM's PyTorch thread
 * count and at one thread, then on a local standalone cluster of two one-core executors ({@link LocalCluster})
 * at one thread each (the default) and at this JVM's count each. Prints, and writes to
 * {@code OUT/bench-spark.md}, the wall times and where Spark's overhead goes: starting the Master and Worker,
 * the application and its executor JVMs, each executor's first task (DJL's native library, the dataset's
 * checksums, a cold JIT), the rest; and which sweeps are bit-identical (same thread count). Every sweep is
 * trained from scratch (its folder under {@code OUT} is replaced).
 */
final class SparkSweepBenchmark {

    static final List<String> SWEEP = List.of("sweep", "--model", "lenet300", "--dataset", "mnist", "--methods", "gmp,rigl",
            "--sparsities", "0.9,0.95", "--seeds", "1,2", "--epochs", "1");
    private static final int EXECUTORS = 2;
    private static final Pattern DONE = Pattern.compile("^\\[\\d+/\\d+\\] (\\S+): .*; ([0-9.]+) s, pid (\\d+) on ");

    private SparkSweepBenchmark() {}

    /** One timed sweep: where it ran, with how many PyTorch threads per training, and what it printed when. */
    private record Sweep(String title, Path dir, boolean spark, int threads, TimedLines lines) {}

    static int run(int trainSize, Path outDir, PrintStream out) throws IOException {
        List<String> sweep = new ArrayList<>(SWEEP);
        if (trainSize > 0) {
            sweep.addAll(List.of("--train-size", Integer.toString(trainSize)));
        }
        int here = TaskRunner.intraOpThreads();
        List<Sweep> sweeps = List.of(
                new Sweep("in-process", outDir.resolve("local"), false, here, new TimedLines(out)),
                new Sweep("in-process, 1 thread", outDir.resolve("local-1-thread"), false, 1, new TimedLines(out)),
                new Sweep("Spark, " + EXECUTORS + " executors", outDir.resolve("spark"), true, 1, new TimedLines(out)),
                new Sweep("Spark, " + EXECUTORS + " executors, " + here + " threads each",
                        outDir.resolve("spark-" + here + "-threads"), true, here, new TimedLines(out)));
        sweeps.forEach(s -> TaskRunner.deleteTree(s.dir()));
        out.println("prune4j: bench-spark: " + String.join(" ", sweep) + ", as: "
                + String.join("; ", sweeps.stream().map(Sweep::title).toList()));

        String loadBefore = loadAverage();
        for (Sweep local : sweeps.subList(0, 2)) {
            threadsHere(local.threads());
            try {
                int status = sweep(sweep, local.dir(), "local", local.lines());
                if (status != 0) {
                    return status;
                }
            } finally {
                threadsHere(here);
            }
        }
        long clusterStart = System.nanoTime();
        double clusterSeconds;
        Map<String, String> previous = new LinkedHashMap<>();
        for (String key : List.of("spark.cores.max", "spark.scheduler.minRegisteredResourcesRatio", SparkExecutor.THREADS)) {
            previous.put(key, System.getProperty(key));
        }
        try (LocalCluster cluster = LocalCluster.start(EXECUTORS, 0)) {
            clusterSeconds = (System.nanoTime() - clusterStart) / 1e9;
            // The application waits for both executors before its first task, as a sized cluster would.
            System.setProperty("spark.cores.max", Integer.toString(EXECUTORS));
            System.setProperty("spark.scheduler.minRegisteredResourcesRatio", "1.0");
            for (Sweep spark : sweeps.subList(2, 4)) {
                System.setProperty(SparkExecutor.THREADS, Integer.toString(spark.threads()));
                int status = sweep(sweep, spark.dir(), cluster.masterUrl(), spark.lines());
                if (status != 0) {
                    return status;
                }
            }
        } finally {
            previous.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
        }
        String report = report(sweep, sweeps, clusterSeconds, loadBefore, loadAverage());
        out.println();
        out.println(report);
        AtomicFiles.write(outDir.resolve("bench-spark.md"), stream -> stream.write(report.getBytes(StandardCharsets.UTF_8)));
        out.println("wrote " + outDir.resolve("bench-spark.md"));
        return 0;
    }

    /** PyTorch's intra-op thread count for the trainings in this JVM from now on. */
    private static void threadsHere(int threads) {
        if (Engine.getInstance() instanceof PtEngine) {
            JniUtils.setNumThreads(threads);
        }
    }

    /** The 1, 5 and 15 minute load averages, where /proc/loadavg exists. */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException unknown) {
            return "unknown";
        }
    }

    private static int sweep(List<String> sweep, Path out, String executor, TimedLines lines) {
        List<String> args = new ArrayList<>(sweep);
        args.addAll(List.of("--out", out.toString(), "--executor", executor));
        PrintStream print = new PrintStream(lines, true, StandardCharsets.UTF_8);
        lines.start();
        int status = Main.run(args.toArray(String[]::new), print, print);
        lines.stop();
        return status;
    }

    private static String report(List<String> sweep, List<Sweep> sweeps, double clusterSeconds, String loadBefore,
                                 String loadAfter) throws IOException {
        List<Stats> stats = new ArrayList<>();
        for (Sweep s : sweeps) {
            stats.add(stats(s.lines(), Table.read().csv(s.dir().resolve("runs.csv").toFile())));
        }
        StringBuilder text = new StringBuilder();
        text.append("Command: `./prune4j bench-spark` = `").append(String.join(" ", sweep)).append("` (")
                .append(stats.get(0).settings).append(" settings), four times: in this JVM (`--executor local`) at its PyTorch")
                .append(" thread count and at 1 thread, then on a local standalone cluster of ").append(EXECUTORS)
                .append(" one-core executors (`--executor spark://...`) at 1 thread each (the default) and at this JVM's")
                .append(" count each; ").append(Runtime.getRuntime().availableProcessors()).append(" cores, load average ")
                .append(loadBefore).append(" before and ").append(loadAfter).append(" after.\n\n|");
        for (Sweep s : sweeps) {
            text.append(" | ").append(s.title());
        }
        text.append(" |\n|---").append("|---:".repeat(sweeps.size())).append("|\n");
        text.append("| PyTorch threads per training |");
        sweeps.forEach(s -> text.append(' ').append(s.threads()).append(" |"));
        text.append('\n');
        row(text, "Master and Worker start, once (s)", Double.NaN, Double.NaN, clusterSeconds, Double.NaN);
        row(text, "**sweep wall time (s)**", sweeps.stream().mapToDouble(s -> s.lines().seconds()).toArray());
        row(text, "executor ready, from the sweep's start (s)", stats.stream().mapToDouble(Stats::ready).toArray());
        row(text, "sum of task times (s)", stats.stream().mapToDouble(Stats::taskSum).toArray());
        row(text, "sum of training times, trainSeconds (s)", stats.stream().mapToDouble(Stats::trainSum).toArray());
        row(text, "first task in each JVM, mean (s)", stats.stream().mapToDouble(Stats::firstMean).toArray());
        row(text, "later tasks, mean (s)", stats.stream().mapToDouble(Stats::laterMean).toArray());
        text.append("| JVMs that trained |");
        stats.forEach(s -> text.append(' ').append(s.jvms()).append(" |"));
        text.append("\n| model.params bit-identical to the in-process sweep with as many threads | | | ")
                .append(sameParams(sweeps.get(1).dir(), sweeps.get(2).dir(), stats.get(0).settings)).append(" | ")
                .append(sameParams(sweeps.get(0).dir(), sweeps.get(3).dir(), stats.get(0).settings)).append(" |\n");
        double base = sweeps.get(0).lines().seconds();
        text.append(String.format(Locale.ROOT, "%nWall time / in-process: %.2fx at 1 thread, Spark %.2fx, Spark at %d threads"
                        + " per executor %.2fx (plus %.1f s to start the Master and Worker once).%n",
                sweeps.get(1).lines().seconds() / base, sweeps.get(2).lines().seconds() / base, sweeps.get(3).threads(),
                sweeps.get(3).lines().seconds() / base, clusterSeconds));
        return text.toString();
    }

    /** "yes", or how many settings' model.params are byte-identical. */
    private static String sameParams(Path a, Path b, int settings) throws IOException {
        int equal = 0;
        try (var runs = Files.list(a.resolve("runs"))) {
            for (Path run : runs.toList()) {
                Path other = b.resolve("runs").resolve(run.getFileName()).resolve("model.params");
                if (Files.exists(other) && Arrays.equals(Files.readAllBytes(run.resolve("model.params")), Files.readAllBytes(other))) {
                    equal++;
                }
            }
        }
        return equal == settings ? "yes" : equal + " of " + settings;
    }

    private static void row(StringBuilder text, String name, double... values) {
        text.append("| ").append(name).append(" |");
        for (double value : values) {
            text.append(' ').append(cell(value)).append(" |");
        }
        text.append('\n');
    }

    private static String cell(double value) {
        return Double.isNaN(value) ? "\u2014" : String.format(Locale.ROOT, "%.1f", value);
    }

    /** Per-sweep figures: when the executor was ready, task and training sums, first vs later task per JVM. */
    private record Stats(double ready, double taskSum, double trainSum, double firstMean, double laterMean, int jvms,
                         int settings) {}

    private static Stats stats(TimedLines lines, Table runs) {
        double ready = lines.firstTime("prune4j: training ");
        Map<Long, List<Double>> byPid = new LinkedHashMap<>();
        double taskSum = 0;
        for (String line : lines.lines()) {
            Matcher m = DONE.matcher(line);
            if (m.find()) {
                double seconds = Double.parseDouble(m.group(2));
                taskSum += seconds;
                byPid.computeIfAbsent(Long.parseLong(m.group(3)), k -> new ArrayList<>()).add(seconds);
            }
        }
        double firstSum = 0;
        double laterSum = 0;
        int later = 0;
        for (List<Double> seconds : byPid.values()) {
            firstSum += seconds.get(0);
            for (int i = 1; i < seconds.size(); i++) {
                laterSum += seconds.get(i);
                later++;
            }
        }
        double trainSum = runs.doubleColumn("trainSeconds").sum();
        return new Stats(ready, taskSum, trainSum, byPid.isEmpty() ? Double.NaN : firstSum / byPid.size(),
                later == 0 ? Double.NaN : laterSum / later, byPid.size(), runs.rowCount());
    }

    /** An output stream that echoes what is printed and remembers each line with its time since {@link #start}. */
    static final class TimedLines extends OutputStream {
        private final PrintStream echo;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final List<String> lines = new ArrayList<>();
        private final List<Double> times = new ArrayList<>();
        private long started;
        private double seconds;

        TimedLines(PrintStream echo) {
            this.echo = echo;
        }

        void start() {
            started = System.nanoTime();
        }

        void stop() {
            seconds = (System.nanoTime() - started) / 1e9;
        }

        /** Wall seconds from {@link #start} to {@link #stop}. */
        double seconds() {
            return seconds;
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        /** Seconds from the start to the first line that starts with {@code prefix}; NaN if none. */
        synchronized double firstTime(String prefix) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(prefix)) {
                    return times.get(i);
                }
            }
            return Double.NaN;
        }

        @Override
        public synchronized void write(int b) {
            echo.write(b);
            if (b == '\n') {
                lines.add(line.toString(StandardCharsets.UTF_8));
                times.add((System.nanoTime() - started) / 1e9);
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void flush() {
            echo.flush();
        }
    }

}
