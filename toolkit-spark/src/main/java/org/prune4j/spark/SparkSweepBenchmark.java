package org.prune4j.spark;

import org.prune4j.cli.Main;
import org.prune4j.exec.TaskRunner;
import org.prune4j.report.AtomicFiles;
import tech.tablesaw.api.Table;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./prune4j bench-spark}: one 8-setting LeNet-300-100 sweep on MNIST (gmp, rigl x 0.9, 0.95 x seeds 1, 2;
 * one epoch) with the in-process executor, then the same sweep on a local standalone cluster of two one-core
 * executors ({@link LocalCluster}), in this one run; prints (and writes to {@code OUT/bench-spark.md}) the
 * wall times and where Spark's overhead goes: starting the Master and Worker, the application and its
 * executor JVMs, each executor's first task (DJL's native library, the dataset's checksums, a cold JIT), and
 * the rest. Both sweeps are trained from scratch ({@code OUT/local}, {@code OUT/spark} are replaced).
 */
final class SparkSweepBenchmark {

    static final List<String> SWEEP = List.of("sweep", "--model", "lenet300", "--dataset", "mnist", "--methods", "gmp,rigl",
            "--sparsities", "0.9,0.95", "--seeds", "1,2", "--epochs", "1");
    private static final int EXECUTORS = 2;
    private static final Pattern DONE = Pattern.compile("^\\[\\d+/\\d+\\] (\\S+): .*; ([0-9.]+) s, pid (\\d+) on ");

    private SparkSweepBenchmark() {}

    static int run(int trainSize, Path outDir, PrintStream out) throws IOException {
        List<String> sweep = new ArrayList<>(SWEEP);
        if (trainSize > 0) {
            sweep.addAll(List.of("--train-size", Integer.toString(trainSize)));
        }
        Path local = outDir.resolve("local");
        Path spark = outDir.resolve("spark");
        TaskRunner.deleteTree(local);
        TaskRunner.deleteTree(spark);
        out.println("prune4j: bench-spark: " + String.join(" ", sweep) + ", in this JVM, then on Spark with "
                + EXECUTORS + " executors");

        TimedLines localLines = new TimedLines(out);
        int status = sweep(sweep, local, "local", localLines);
        if (status != 0) {
            return status;
        }
        long clusterStart = System.nanoTime();
        TimedLines sparkLines = new TimedLines(out);
        double clusterSeconds;
        String previousCores = System.getProperty("spark.cores.max");
        String previousRatio = System.getProperty("spark.scheduler.minRegisteredResourcesRatio");
        try (LocalCluster cluster = LocalCluster.start(EXECUTORS, 0)) {
            clusterSeconds = (System.nanoTime() - clusterStart) / 1e9;
            // The application waits for both executors before its first task, as a sized cluster would.
            System.setProperty("spark.cores.max", Integer.toString(EXECUTORS));
            System.setProperty("spark.scheduler.minRegisteredResourcesRatio", "1.0");
            status = sweep(sweep, spark, cluster.masterUrl(), sparkLines);
        } finally {
            restore("spark.cores.max", previousCores);
            restore("spark.scheduler.minRegisteredResourcesRatio", previousRatio);
        }
        if (status != 0) {
            return status;
        }
        String report = report(sweep, local, localLines, spark, sparkLines, clusterSeconds);
        out.println();
        out.println(report);
        AtomicFiles.write(outDir.resolve("bench-spark.md"), stream -> stream.write(report.getBytes(StandardCharsets.UTF_8)));
        out.println("wrote " + outDir.resolve("bench-spark.md"));
        return 0;
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

    private static String report(List<String> sweep, Path local, TimedLines localLines, Path spark, TimedLines sparkLines,
                                 double clusterSeconds) throws IOException {
        Table a = Table.read().csv(local.resolve("runs.csv").toFile());
        Table b = Table.read().csv(spark.resolve("runs.csv").toFile());
        boolean identical = a.rowCount() == b.rowCount()
                && a.doubleColumn("testAccuracy").asList().equals(b.doubleColumn("testAccuracy").asList())
                && a.doubleColumn("measuredSparsity").asList().equals(b.doubleColumn("measuredSparsity").asList());
        Stats l = stats(localLines, a);
        Stats s = stats(sparkLines, b);
        StringBuilder text = new StringBuilder();
        text.append("Command: `./prune4j bench-spark` = `").append(String.join(" ", sweep)).append("`, ")
                .append(a.rowCount()).append(" settings, with `--executor local`, then with `--executor spark://...` on ")
                .append(EXECUTORS).append(" one-core executors of a local standalone cluster, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores.\n\n");
        text.append("| | in-process | Spark, ").append(EXECUTORS).append(" executors |\n|---|---:|---:|\n");
        row(text, "Master and Worker start (s)", Double.NaN, clusterSeconds);
        row(text, "sweep wall time (s)", localLines.seconds(), sparkLines.seconds());
        row(text, "wall time with the cluster start (s)", localLines.seconds(), sparkLines.seconds() + clusterSeconds);
        row(text, "executor ready, from the sweep's start (s)", l.ready, s.ready);
        row(text, "sum of task times (s)", l.taskSum, s.taskSum);
        row(text, "sum of training times, trainSeconds (s)", l.trainSum, s.trainSum);
        row(text, "first task in each JVM, mean (s)", l.firstMean, s.firstMean);
        row(text, "later tasks, mean (s)", l.laterMean, s.laterMean);
        text.append(String.format(Locale.ROOT, "| JVMs that trained | %d | %d |%n", l.jvms, s.jvms));
        text.append("| same accuracy and sparsity in every setting | | ").append(identical ? "yes" : "NO").append(" |\n");
        text.append(String.format(Locale.ROOT, "%nSpark / in-process wall time: %.2fx (%.2fx with the cluster start).%n",
                sparkLines.seconds() / localLines.seconds(), (sparkLines.seconds() + clusterSeconds) / localLines.seconds()));
        return text.toString();
    }

    private static void row(StringBuilder text, String name, double local, double spark) {
        text.append("| ").append(name).append(" | ").append(cell(local)).append(" | ").append(cell(spark)).append(" |\n");
    }

    private static String cell(double value) {
        return Double.isNaN(value) ? "\u2014" : String.format(Locale.ROOT, "%.1f", value);
    }

    /** Per-sweep figures: when the executor was ready, task and training sums, first vs later task per JVM. */
    private record Stats(double ready, double taskSum, double trainSum, double firstMean, double laterMean, int jvms) {}

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
                later == 0 ? Double.NaN : laterSum / later, byPid.size());
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, previous);
        }
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
