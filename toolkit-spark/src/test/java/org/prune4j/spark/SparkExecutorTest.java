package org.prune4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.cli.Main;
import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.exec.InProcessExecutor;
import org.prune4j.orchestrate.PGap;
import org.prune4j.optim.Optimizers;
import org.prune4j.recipe.Recipe;
import org.prune4j.report.Run;
import org.prune4j.train.Progress;
import org.prune4j.train.SparseTraining;
import tech.tablesaw.api.Table;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real standalone Master and Worker with two one-core executor JVMs on loopback: P-GaP workers and sweep
 * settings trained there give exactly what the in-process executor gives, in at least two executor processes,
 * and a sweep survives an executor killed with SIGKILL mid-task.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkExecutorTest {

    /** Four settings (gmp at 0.8 and 0.9, seeds 1 and 2) on 1,000 MNIST images, one epoch. */
    private static final List<String> SWEEP = List.of("sweep", "--methods", "gmp", "--sparsities", "0.8,0.9",
            "--seeds", "1,2", "--epochs", "1", "--train-size", "1000", "--batch-size", "100", "--lr-schedule", "constant");
    private static final List<String> SETTINGS = List.of("gmp-0.8-seed1", "gmp-0.8-seed2", "gmp-0.9-seed1", "gmp-0.9-seed2");

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static Path reference;

    @BeforeAll
    static void startCluster() throws Exception {
        try {
            Datasets.mnist();
        } catch (RuntimeException missing) {
            assumeTrue(false, "MNIST is not fetched: " + missing.getMessage());
        }
        // The trainer expects DJL's engine started on the thread that trains in this JVM (it turns PyTorch's
        // per-thread grad mode off there); the sweeps below plan on other threads.
        ai.djl.engine.Engine.getInstance();
        cluster = LocalCluster.start(2, 0);
        // Every application here waits for both executors, so the first tasks spread over two JVMs.
        System.setProperty("spark.cores.max", "2");
        System.setProperty("spark.scheduler.minRegisteredResourcesRatio", "1.0");
    }

    @AfterAll
    static void stopCluster() {
        System.clearProperty("spark.cores.max");
        System.clearProperty("spark.scheduler.minRegisteredResourcesRatio");
        if (cluster != null) {
            List<ProcessHandle> executors = cluster.executorProcesses();
            cluster.close();
            executors.forEach(p -> assertFalse(p.isAlive(), "executor " + p.pid() + " outlived the cluster"));
        }
    }

    @Test
    @Order(1)
    void aPGapRoundOnSparkEqualsTheInProcessExecutor() throws Exception {
        DataSplit data = Datasets.mnist().subset(1000, 10_000);
        // Each worker task ships this recipe (the one training(data) was built from) as JSON to its executor.
        Recipe recipe = new Recipe("lenet300", "mnist", 1000, "pgap", 0.8, "unstructured", Recipe.NONE,
                new TreeMap<>(Map.of("partitions", "2", "rounds", "1")), "sgd", 0.05, 5e-4, "cosine", 1, 64, 1);
        Map<String, String> cpu = Map.of("device", "cpu");
        PGap here = PGap.builder().sparsity(0.8).partitions(2).rounds(1).build();
        PGap onSpark = PGap.builder().sparsity(0.8).partitions(2).rounds(1).build();

        Run expected = here.fit(training(data), new InProcessExecutor(), recipe, cpu);
        Run actual;
        try (SparkExecutor spark = SparkExecutor.open(cluster.masterUrl(), line -> {})) {
            actual = onSpark.fit(training(data), spark, recipe, cpu);
        }

        assertEquals(2, onSpark.workerPids().stream().distinct().count(), "workers in two executor JVMs: " + onSpark.workerPids());
        assertFalse(onSpark.workerPids().contains(ProcessHandle.current().pid()));
        assertEquals(1, expected.historyRows().size());
        assertEquals(expected.historyRows().get(0).loss(), actual.historyRows().get(0).loss(), 0.0);
        assertEquals(expected.historyRows().get(0).trainAccuracy(), actual.historyRows().get(0).trainAccuracy(), 0.0);
        assertEquals(expected.testAccuracy(), actual.testAccuracy(), 0.0);
        assertEquals(expected.measuredSparsity(), actual.measuredSparsity(), 0.0);
        assertEquals(0.8, actual.measuredSparsity(), 1e-3);
        for (int i = 0; i < here.finalMasks().size(); i++) {
            assertArrayEquals(here.finalMasks().get(i), onSpark.finalMasks().get(i), "mask " + i);
        }
    }

    @Test
    @Order(2)
    void aSweepOnSparkEqualsTheSweepInThisJvm() throws Exception {
        Path out = dir.resolve("spark");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertEquals(0, sweep(out, printed, "--executor", cluster.masterUrl()), printed.toString(StandardCharsets.UTF_8));

        assertSameRuns(reference(), out);
        Set<Long> pids = new HashSet<>();
        for (String setting : SETTINGS) {
            JsonObject task = json(out.resolve("runs").resolve(setting).resolve("task.json"));
            assertEquals(cluster.masterUrl(), task.get("executor").getAsString());
            pids.add(task.get("pid").getAsLong());
        }
        assertTrue(pids.size() >= 2, "settings trained in at least two executor JVMs: " + pids);
        assertFalse(pids.contains(ProcessHandle.current().pid()));
    }

    @Test
    @Order(3)
    void aSweepSurvivesAnExecutorKilledMidTask() throws Exception {
        Path out = dir.resolve("killed");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        AtomicInteger status = new AtomicInteger(-1);
        Thread sweep = new Thread(() -> status.set(sweep(out, printed, "--executor", cluster.masterUrl())));
        sweep.start();
        try {
            killAnExecutorMidTask(sweep, printed, out, status);
        } finally {
            sweep.join(300_000);
        }
    }

    private void killAnExecutorMidTask(Thread sweep, ByteArrayOutputStream printed, Path out, AtomicInteger exit)
            throws Exception {
        // The first task to start: its executor JVM is found through the Worker and killed 0.5 s later,
        // while it loads DJL and the data or trains.
        Pattern started = Pattern.compile("spark: task '([^']+)' started on executor (\\S+) ");
        Matcher match = null;
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (match == null && sweep.isAlive() && System.nanoTime() < deadline) {
            Matcher m = started.matcher(printed.toString(StandardCharsets.UTF_8));
            match = m.find() ? m : null;
            Thread.sleep(50);
        }
        assertTrue(match != null, "no task started:\n" + printed.toString(StandardCharsets.UTF_8));
        String executorId = match.group(2);
        Thread.sleep(500);
        ProcessHandle victim = cluster.executorProcess(executorId).orElseThrow(
                () -> new AssertionError("no JVM for executor " + executorId + " among " + cluster.executorProcesses()));
        assertTrue(victim.destroyForcibly(), "SIGKILL to executor " + executorId);
        sweep.join(300_000);
        assertFalse(sweep.isAlive(), "the sweep did not end within 5 minutes");

        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.println("SIGKILL to executor " + executorId + " (pid " + victim.pid() + ") during the sweep:\n" + text);
        assertEquals(0, exit.get(), text);
        assertFalse(victim.isAlive());
        assertTrue(text.contains("failed on executor " + executorId + " (attempt 1 of 4)") && text.contains("Spark runs it again"),
                "the killed task was retried:\n" + text);
        assertSameRuns(reference(), out);
        for (String setting : SETTINGS) {
            JsonObject task = json(out.resolve("runs").resolve(setting).resolve("task.json"));
            if (setting.equals(match.group(1))) {
                assertTrue(task.get("pid").getAsLong() != victim.pid(), "the retried task's result came from another JVM");
            }
        }
    }

    /** The same sweep in this JVM, trained once for both sweep tests. */
    private static synchronized Path reference() {
        if (reference == null) {
            Path out = dir.resolve("local");
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            assertEquals(0, sweep(out, printed, "--executor", "local"), printed.toString(StandardCharsets.UTF_8));
            reference = out;
        }
        return reference;
    }

    private static int sweep(Path out, ByteArrayOutputStream printed, String... extra) {
        List<String> args = new ArrayList<>(SWEEP);
        args.addAll(List.of("--out", out.toString()));
        args.addAll(List.of(extra));
        PrintStream print = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return Main.run(args.toArray(String[]::new), print, print);
    }

    /** Same metrics, same per-epoch history (timings aside), same per-layer counts, same parameters bit for bit. */
    private static void assertSameRuns(Path expected, Path actual) throws Exception {
        for (String setting : SETTINGS) {
            Path a = expected.resolve("runs").resolve(setting);
            Path b = actual.resolve("runs").resolve(setting);
            JsonObject summaryA = json(a.resolve("summary.json"));
            JsonObject summaryB = json(b.resolve("summary.json"));
            for (String field : List.of("testAccuracy", "measuredSparsity", "epochs", "trainingFlops")) {
                assertEquals(summaryA.get(field), summaryB.get(field), setting + " " + field);
            }
            Table historyA = Table.read().csv(a.resolve("history.csv").toFile());
            Table historyB = Table.read().csv(b.resolve("history.csv").toFile());
            for (String column : List.of("loss", "trainAccuracy", "testAccuracy", "sparsity", "lr")) {
                assertEquals(historyA.column(column).asList(), historyB.column(column).asList(), setting + " " + column);
            }
            assertEquals(Files.readString(a.resolve("layers.csv")), Files.readString(b.resolve("layers.csv")), setting);
            assertArrayEquals(Files.readAllBytes(a.resolve("model.params")), Files.readAllBytes(b.resolve("model.params")),
                    setting + " model.params");
        }
        assertEquals(Files.readString(expected.resolve("results.md")), Files.readString(actual.resolve("results.md")));
    }

    private static JsonObject json(Path file) throws Exception {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    private static SparseTraining training(DataSplit data) {
        return SparseTraining.of("lenet300", data)
                .optimizer(Optimizers.sgd().lr(0.05).momentum(0.9).weightDecay(5e-4).cosineLr())
                .epochs(1).batchSize(64).seed(1).device(ai.djl.Device.cpu()).progress(Progress.silent());
    }
}
