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
import java.nio.file.Files;
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
 * the rest. The Spark sweep runs twice: with this JVM's PyTorch thread count (bit-identical to in-process) and
 * with one thread per one-core executor (no oversubscription). Every sweep is trained from scratch
 * ({@code OUT/local}, {@code OUT/spark}, {@code OUT/spark-1-thread} are replaced).
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
        Path oneThread = outDir.resolve("spark-1-thread");
        TaskRunner.deleteTree(local);
        TaskRunner.deleteTree(spark);
        TaskRunner.deleteTree(oneThread);
        out.println("prune4j: bench-spark: " + String.join(" ", sweep) + ", in this JVM, then on Spark with "
                + EXECUTORS + " executors (this JVM's PyTorch thread count, then 1 thread each)");

        String loadBefore = loadAverage();
        TimedLines localLines = new TimedLines(out);
        int status = sweep(sweep, local, "local", localLines);
        if (status != 0) {
            return status;
        }
        long clusterStart = System.nanoTime();
        TimedLines sparkLines = new TimedLines(out);
        TimedLines oneThreadLines = new TimedLines(out);
        double clusterSeconds;
        Map<String, String> previous = new LinkedHashMap<>();
        for (String key : List.of("spark.cores.max", "spark.scheduler.minRegisteredResourcesRatio", THREADS)) {
            previous.put(key, System.getProperty(key));
        }
        try (LocalCluster cluster = LocalCluster.start(EXECUTORS, 0)) {
            clusterSeconds = (System.nanoTime() - clusterStart) / 1e9;
            // The application waits for both executors before its first task, as a sized cluster would.
            System.setProperty("spark.cores.max", Integer.toString(EXECUTORS));
            System.setProperty("spark.scheduler.minRegisteredResourcesRatio", "1.0");
            status = sweep(sweep, spark, cluster.masterUrl(), sparkLines);
            if (status == 0) {
                // The same with one PyTorch thread per one-core executor: no oversubscription, last-bit differences.
                System.setProperty(THREADS, "1");
                status = sweep(sweep, oneThread, cluster.masterUrl(), oneThreadLines);
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
        if (status != 0) {
            return status;
        }
        String report = report(sweep, local, localLines, spark, sparkLines, oneThread, oneThreadLines, clusterSeconds,
                loadBefore, loadAverage());
        out.println();
        out.println(report);
        AtomicFiles.write(outDir.resolve("bench-spark.md"), stream -> stream.write(report.getBytes(StandardCharsets.UTF_8)));
        out.println("wrote " + outDir.resolve("bench-spark.md"));
        return 0;
    }

    private static final String THREADS = "ai.djl.pytorch.num_threads";

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

    private static String report(List<String> sweep, Path local, TimedLines localLines, Path spark, TimedLines sparkLines,
                                 Path oneThread, TimedLines oneThreadLines, double clusterSeconds, String loadBefore,
                                 String loadAfter) throws IOException {
        Table a = Table.read().csv(local.resolve("runs.csv").toFile());
        Table b = Table.read().csv(spark.resolve("runs.csv").toFile());
        Table c = Table.read().csv(oneThread.resolve("runs.csv").toFile());
        Stats l = stats(localLines, a);
        Stats s = stats(sparkLines, b);
        Stats o = stats(oneThreadLines, c);
        StringBuilder text = new StringBuilder();
        text.append("Command: `./prune4j bench-spark` = `").append(String.join(" ", sweep)).append("`, ")
                .append(a.rowCount()).append(" settings, with `--executor local`, then twice with `--executor spark://...` on ")
                .append(EXECUTORS).append(" one-core executors of a local standalone cluster; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, load average ").append(loadBefore)
                .append(" before and ").append(loadAfter).append(" after.\n\n");
        text.append("| | in-process | Spark, ").append(EXECUTORS).append(" executors | Spark, ").append(EXECUTORS)
                .append(" executors, 1 thread each |\n|---|---:|---:|---:|\n");
        text.append(String.format(Locale.ROOT, "| PyTorch intra-op threads per JVM | %s | %s | 1 |%n",
                SparkExecutor.trainingThreads(), SparkExecutor.trainingThreads()));
        row(text, "Master and Worker start (s)", Double.NaN, clusterSeconds, Double.NaN);
        row(text, "sweep wall time (s)", localLines.seconds(), sparkLines.seconds(), oneThreadLines.seconds());
        row(text, "executor ready, from the sweep's start (s)", l.ready, s.ready, o.ready);
        row(text, "sum of task times (s)", l.taskSum, s.taskSum, o.taskSum);
        row(text, "sum of training times, trainSeconds (s)", l.trainSum, s.trainSum, o.trainSum);
        row(text, "first task in each JVM, mean (s)", l.firstMean, s.firstMean, o.firstMean);
        row(text, "later tasks, mean (s)", l.laterMean, s.laterMean, o.laterMean);
        text.append(String.format(Locale.ROOT, "| JVMs that trained | %d | %d | %d |%n", l.jvms, s.jvms, o.jvms));
        text.append("| test accuracy and sparsity equal to in-process, every setting | | ").append(same(a, b))
                .append(" | ").append(same(a, c)).append(" |\n");
        text.append(String.format(Locale.ROOT, "%nWall time / in-process: Spark %.2fx, Spark with 1 thread per executor %.2fx"
                        + " (plus %.1f s to start the Master and Worker once).%n",
                sparkLines.seconds() / localLines.seconds(), oneThreadLines.seconds() / localLines.seconds(), clusterSeconds));
        return text.toString();
    }

    private static String same(Table a, Table b) {
        int equal = 0;
        for (int row = 0; row < Math.min(a.rowCount(), b.rowCount()); row++) {
            if (a.doubleColumn("testAccuracy").get(row).equals(b.doubleColumn("testAccuracy").get(row))
                    && a.doubleColumn("measuredSparsity").get(row).equals(b.doubleColumn("measuredSparsity").get(row))) {
                equal++;
            }
        }
        return equal == a.rowCount() ? "yes" : equal + " of " + a.rowCount();
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
