package org.prune4j.orchestrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.prune4j.gap.ModelState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.exec.InProcessExecutor;
import org.prune4j.exec.ProcessExecutor;
import org.prune4j.exec.TaskResult;
import org.prune4j.optim.Optimizers;
import org.prune4j.recipe.Recipe;
import org.prune4j.report.Run;
import org.prune4j.train.Progress;
import org.prune4j.train.SparseTraining;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

class PGapTest {

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private static ModelState worker(float v) {
        return new ModelState(List.of("01L_weight", "01L_bias", "02L_weight", "02L_bias", "03L_weight", "bn_gamma"),
                List.of(filled(4, v), filled(2, v), filled(6, v + 10), filled(3, v + 10), filled(2, v + 20), filled(2, v)),
                Arrays.asList(filled(4, 1), null, filled(2, 0)));
    }

    @Test
    void combineTakesEachPartitionFromItsWorker() {
        List<String> layers = List.of("01L", "02L", "03L");
        List<List<Integer>> groups = List.of(List.of(0, 2), List.of(1));
        ModelState combined = PGap.combine(List.of(worker(1), worker(2)), groups, layers);
        assertArrayEquals(filled(4, 1), combined.parameters().get(0), "layer 0 weight from worker 0");
        assertArrayEquals(filled(2, 1), combined.parameters().get(1), "layer 0 bias from worker 0");
        assertArrayEquals(filled(6, 12), combined.parameters().get(2), "layer 1 weight from worker 1");
        assertArrayEquals(filled(3, 12), combined.parameters().get(3), "layer 1 bias from worker 1");
        assertArrayEquals(filled(2, 21), combined.parameters().get(4), "layer 2 weight from worker 0");
        assertArrayEquals(filled(2, 1.5f), combined.parameters().get(5), "other parameters: the workers' mean");
        combined.masks().forEach(m -> assertNull(m));
        assertEquals(-1, PGap.ownerWorker("01L_sub_weight", groups, layers));
    }

    /** LeNet-300-100 at 90% uniform, K = 3 (one layer each), T = 2, R = 2, F = 1: drawn from the schedule alone. */
    @Test
    void scheduleBeforeTraining() {
        List<org.prune4j.density.LayerShape> lenet300 = List.of(
                new org.prune4j.density.LayerShape("fc1", new long[] {300, 784}),
                new org.prune4j.density.LayerShape("fc2", new long[] {100, 300}),
                new org.prune4j.density.LayerShape("fc3", new long[] {10, 100}));
        PGap pgap = PGap.builder().sparsity(0.9).partitions(3).stepEpochs(2).rounds(2).finetuneEpochs(1).build();
        var table = pgap.scheduleTable(lenet300);

        // Per round: 3 worker rows and a combine row; then the fine-tune.
        assertEquals(2 * (3 + 1) + 1, table.rowCount());
        assertEquals("worker 1", table.stringColumn("phase").get(1));
        assertEquals("fc2", table.stringColumn("dense layers").get(1));
        assertEquals(2, table.intColumn("to epoch").get(1));
        // Worker 1 trains fc2 dense (30,000) with fc1 and fc3 at 10%: 23,520 + 30,000 + 100 of 266,200 kept.
        assertEquals(1 - (23520 + 30000 + 100.0) / 266200, table.doubleColumn("total sparsity").get(1), 1e-9);
        assertEquals("combine + prune", table.stringColumn("phase").get(3));
        assertEquals(1 - (23520 + 3000 + 100.0) / 266200, table.doubleColumn("total sparsity").get(3), 1e-9);
        assertEquals("fine-tune", table.stringColumn("phase").get(8));
        assertEquals(5, table.intColumn("to epoch").get(8), "model time is R*T + F = 5 epochs");

        var chart = pgap.scheduleChart(lenet300);
        assertEquals(4, chart.getSeriesMap().size(), "three workers and the combined model");
        double[] worker0 = chart.getSeriesMap().get("worker 0 (partition 0 dense)").getYData();
        assertEquals(2 * 5, worker0.length, "two points per epoch make a step plot");
        assertEquals(1 - (235200 + 3000 + 100.0) / 266200, worker0[0], 1e-9);
        assertEquals(1 - (23520 + 3000 + 100.0) / 266200, worker0[9], 1e-9, "fine-tune: at the target");
    }

    @Test
    void stateFileRoundTrip() throws Exception {
        Path file = Files.createTempFile("pgap", ".state");
        try {
            ModelState state = worker(3);
            state.write(file);
            ModelState back = ModelState.read(file);
            assertEquals(state.names(), back.names());
            for (int i = 0; i < state.parameters().size(); i++) {
                assertArrayEquals(state.parameters().get(i), back.parameters().get(i));
            }
            assertNull(back.masks().get(1));
            assertArrayEquals(state.masks().get(2), back.masks().get(2));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> PGap.builder().build());
        assertEquals(7, PGap.builder().sparsity(0.5).stepEpochs(2).rounds(3).finetuneEpochs(1).build().epochs());
    }

    @Test
    void workerResultFilesRoundTrip(@TempDir Path dir) throws Exception {
        PGap.WorkerResult result = new PGap.WorkerResult(worker(2), 0.123456789012345, 0.875, 0.1 / 3);
        result.writeTo(dir);
        TaskResult task = new TaskResult("w", Map.of("worker.state", Files.readAllBytes(dir.resolve("worker.state")),
                "worker.json", Files.readAllBytes(dir.resolve("worker.json"))), 1, "h", 0);
        PGap.WorkerResult back = PGap.WorkerResult.of(task);
        assertEquals(result.loss(), back.loss(), 0.0);
        assertEquals(result.trainAccuracy(), back.trainAccuracy(), 0.0);
        assertEquals(result.learningRate(), back.learningRate(), 0.0);
        assertArrayEquals(result.state().parameters().get(2), back.state().parameters().get(2));
        assertArrayEquals(ModelState.fromBytes(result.state().toBytes()).masks().get(0), back.state().masks().get(0));
    }

    /**
     * The same tiny run with workers embedded in this JVM, as separate JVMs ({@link ProcessExecutor}) and as
     * pgap-worker tasks in this JVM ({@link InProcessExecutor}): identical masks and metrics.
     */
    @Test
    void embeddedAndExecutorWorkersAgree() {
        DataSplit data;
        try {
            data = Datasets.mnist().subset(256, 500);
        } catch (RuntimeException missing) {
            assumeTrue(false, "MNIST is not fetched: " + missing.getMessage());
            return;
        }
        // What each worker task carries: the recipe of training(data), from which the worker rebuilds it.
        Recipe recipe = new Recipe("lenet300", "mnist", 256, "pgap", 0.8, "unstructured", Recipe.NONE,
                new TreeMap<>(Map.of("partitions", "3", "rounds", "1")), "sgd", 0.05, 5e-4, "cosine", 1, 64, 1);
        Map<String, String> cpu = Map.of("device", "cpu");
        PGap embedded = PGap.builder().sparsity(0.8).partitions(3).rounds(1).build();
        PGap processes = PGap.builder().sparsity(0.8).partitions(3).rounds(1).build();
        PGap inProcess = PGap.builder().sparsity(0.8).partitions(3).rounds(1).build();
        Run a = embedded.fit(training(data));
        Run b;
        try (ProcessExecutor executor = new ProcessExecutor(3)) {
            b = processes.fit(training(data), executor, recipe, cpu);
        }
        Run c = inProcess.fit(training(data), new InProcessExecutor(), recipe, cpu);
        long self = ProcessHandle.current().pid();
        assertEquals(List.of(self, self, self), embedded.workerPids());
        assertEquals(List.of(self, self, self), inProcess.workerPids());
        assertEquals(3, processes.workerPids().stream().distinct().count(), "one JVM per worker");
        assertFalse(processes.workerPids().contains(self));
        for (Run other : List.of(b, c)) {
            assertEquals(a.historyRows().size(), other.historyRows().size());
            for (int i = 0; i < a.historyRows().size(); i++) {
                assertEquals(a.historyRows().get(i).loss(), other.historyRows().get(i).loss(), 0.0);
                assertEquals(a.historyRows().get(i).testAccuracy(), other.historyRows().get(i).testAccuracy(), 0.0);
            }
            assertEquals(a.measuredSparsity(), other.measuredSparsity(), 0.0);
        }
        for (int i = 0; i < embedded.finalMasks().size(); i++) {
            assertArrayEquals(embedded.finalMasks().get(i), processes.finalMasks().get(i), "mask " + i);
            assertArrayEquals(embedded.finalMasks().get(i), inProcess.finalMasks().get(i), "mask " + i);
        }
    }

    private static SparseTraining training(DataSplit data) {
        return SparseTraining.of("lenet300", data)
                .optimizer(Optimizers.sgd().lr(0.05).momentum(0.9).weightDecay(5e-4).cosineLr())
                .epochs(1).batchSize(64).seed(1).device(ai.djl.Device.cpu()).progress(Progress.silent());
    }
}
