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
import java.util.Arrays;
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
 * the rest. The Spark sweep runs twice: as configured by default (one PyTorch thread per one-core executor) and
 * with this JVM's thread count in every executor (bit-identical to the in-process sweep, but oversubscribed
 * when executors share the cores). Every sweep is trained from scratch ({@code OUT/local}, {@code OUT/spark},
 * {@code OUT/spark-matched-threads} are replaced).
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
        Path matched = outDir.resolve("spark-matched-threads");
        TaskRunner.deleteTree(local);
        TaskRunner.deleteTree(spark);
        TaskRunner.deleteTree(matched);
        out.println("prune4j: bench-spark: " + String.join(" ", sweep) + ", in this JVM, then on Spark with "
                + EXECUTORS + " executors (1 PyTorch thread each, then as many as this JVM)");

        String loadBefore = loadAverage();
        TimedLines localLines = new TimedLines(out);
        int status = sweep(sweep, local, "local", localLines);
        if (status != 0) {
            return status;
        }
        long clusterStart = System.nanoTime();
        TimedLines sparkLines = new TimedLines(out);
        TimedLines matchedLines = new TimedLines(out);
        String threadsHere = Integer.toString(TaskRunner.intraOpThreads());
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
            status = sweep(sweep, spark, cluster.masterUrl(), sparkLines);
            if (status == 0) {
                // The same with this JVM's thread count in every executor: bit-identical to in-process, oversubscribed.
                System.setProperty(SparkExecutor.THREADS, threadsHere);
                status = sweep(sweep, matched, cluster.masterUrl(), matchedLines);
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
        String report = report(sweep, threadsHere, local, localLines, spark, sparkLines, matched, matchedLines,
                clusterSeconds, loadBefore, loadAverage());
        out.println();
        out.println(report);
        AtomicFiles.write(outDir.resolve("bench-spark.md"), stream -> stream.write(report.getBytes(StandardCharsets.UTF_8)));
        out.println("wrote " + outDir.resolve("bench-spark.md"));
        return 0;
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

    private static String report(List<String> sweep, String threadsHere, Path local, TimedLines localLines, Path spark,
                                 TimedLines sparkLines, Path matched, TimedLines matchedLines, double clusterSeconds,
                                 String loadBefore, String loadAfter) throws IOException {
        Table a = Table.read().csv(local.resolve("runs.csv").toFile());
        Table b = Table.read().csv(spark.resolve("runs.csv").toFile());
        Table c = Table.read().csv(matched.resolve("runs.csv").toFile());
        Stats l = stats(localLines, a);
        Stats s = stats(sparkLines, b);
        Stats m = stats(matchedLines, c);
        StringBuilder text = new StringBuilder();
        text.append("Command: `./prune4j bench-spark` = `").append(String.join(" ", sweep)).append("`, ")
                .append(a.rowCount()).append(" settings, with `--executor local`, then twice with `--executor spark://...` on ")
                .append(EXECUTORS).append(" one-core executors of a local standalone cluster; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, load average ").append(loadBefore)
                .append(" before and ").append(loadAfter).append(" after.\n\n");
        text.append("| | in-process | Spark, ").append(EXECUTORS).append(" executors | Spark, ").append(EXECUTORS)
                .append(" executors, threads as in-process |\n|---|---:|---:|---:|\n");
        text.append(String.format(Locale.ROOT, "| PyTorch intra-op threads per JVM | %s | 1 | %s |%n", threadsHere, threadsHere));
        row(text, "Master and Worker start, once (s)", Double.NaN, clusterSeconds, Double.NaN);
        row(text, "sweep wall time (s)", localLines.seconds(), sparkLines.seconds(), matchedLines.seconds());
        row(text, "executor ready, from the sweep's start (s)", l.ready, s.ready, m.ready);
        row(text, "sum of task times (s)", l.taskSum, s.taskSum, m.taskSum);
        row(text, "sum of training times, trainSeconds (s)", l.trainSum, s.trainSum, m.trainSum);
        row(text, "first task in each JVM, mean (s)", l.firstMean, s.firstMean, m.firstMean);
        row(text, "later tasks, mean (s)", l.laterMean, s.laterMean, m.laterMean);
        text.append(String.format(Locale.ROOT, "| JVMs that trained | %d | %d | %d |%n", l.jvms, s.jvms, m.jvms));
        text.append("| test accuracy and sparsity equal to in-process, every setting | | ").append(same(a, b))
                .append(" | ").append(same(a, c)).append(" |\n");
        text.append("| model.params equal to in-process, bit for bit | | ").append(sameParams(local, spark, a.rowCount()))
                .append(" | ").append(sameParams(local, matched, a.rowCount())).append(" |\n");
        text.append(String.format(Locale.ROOT, "%nWall time / in-process: Spark %.2fx, Spark with in-process threads %.2fx"
                        + " (plus %.1f s to start the Master and Worker once).%n",
                sparkLines.seconds() / localLines.seconds(), matchedLines.seconds() / localLines.seconds(), clusterSeconds));
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
