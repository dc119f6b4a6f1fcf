package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.io.TensorFile;
import org.prune4j.kernel.NativeKernels;
import org.prune4j.kernel.SparseMlpKernel;
import org.prune4j.method.Budget;
import org.prune4j.method.Dense;
import org.prune4j.method.DynamicSparse;
import org.prune4j.method.Gmp;
import org.prune4j.method.Pdp;
import org.prune4j.method.Snip;
import org.prune4j.method.SparsityMethod;
import org.prune4j.method.StaticMask;
import org.prune4j.model.MaskedWeight;
import org.prune4j.optim.Optimizers;
import org.prune4j.report.EpochStats;
import org.prune4j.report.Run;

import java.util.ArrayList;
import java.util.List;

/**
 * The sparse training kernel against the dense path: the same run, step for step, within float rounding; masked
 * weights stay exactly zero; the loss and accuracy it reports are the step's; it is taken only where it applies.
 */
class SparseMlpStepTest {

    private static DataSplit data;

    @BeforeAll
    static void load() {
        data = Datasets.mnist().subset(4_096, 1_000);
    }

    private static SparseTraining run(SparsityMethod method, SparseKernel mode) {
        return run(data, method, mode);
    }

    private static SparseTraining run(DataSplit split, SparsityMethod method, SparseKernel mode) {
        return SparseTraining.of("lenet300", split).method(method).batchSize(128).seed(3).epochs(1)
                .optimizer(Optimizers.sgd().lr(0.1).momentum(0.9).weightDecay(5e-4).cosineLr())
                .sparseKernel(mode).progress(Progress.silent());
    }

    private static List<float[]> parameters(TrainingSession session) {
        List<float[]> values = new ArrayList<>();
        for (NDArray array : session.parameterArrays()) {
            values.add(array.toFloatArray());
        }
        return values;
    }

    /** Loss within 1e-3 relative, accuracies within 0.005: the same training up to float rounding. */
    private static void assertSameEpochs(Run dense, Run sparse) {
        List<EpochStats> a = dense.historyRows();
        List<EpochStats> b = sparse.historyRows();
        assertEquals(a.size(), b.size());
        for (int e = 0; e < a.size(); e++) {
            assertEquals(a.get(e).loss(), b.get(e).loss(), 1e-3 * a.get(e).loss(), "loss, epoch " + (e + 1));
            assertEquals(a.get(e).trainAccuracy(), b.get(e).trainAccuracy(), 0.005, "train accuracy, epoch " + (e + 1));
            assertEquals(a.get(e).testAccuracy(), b.get(e).testAccuracy(), 0.005, "test accuracy, epoch " + (e + 1));
        }
    }

    @Test
    void thirtyStepsMatchTheDensePathWithinRoundingAndKeepMaskedWeightsAtZero() {
        assumeTrue(NativeKernels.available(), NativeKernels.status());
        StaticMask method = StaticMask.builder().sparsity(0.95).build();
        List<float[]> dense;
        try (TrainingSession session = run(method, SparseKernel.OFF).session()) {
            for (int i = 0; i < 30; i++) {
                session.trainStep();
            }
            dense = parameters(session);
        }
        try (TrainingSession session = run(StaticMask.builder().sparsity(0.95).build(), SparseKernel.ON).session()) {
            for (int i = 0; i < 30; i++) {
                session.trainStep();
            }
            double largest = largestDifference(dense, parameters(session));
            // Thirty steps at lr 0.1 move weights by ~0.1; summation order alone differs by ~1e-6.
            assertTrue(largest < 1e-4, "largest difference from the dense path " + largest);
            for (MaskedWeight weight : session.model().weights()) {
                assertTrue(keptWithMaskedAtZero(session, weight) > 0, weight.name());
            }
            // Exact count: 5% of LeNet-300-100's 266,200 masked weights.
            long kept = 0;
            for (MaskedWeight weight : session.model().weights()) {
                kept += (long) session.model().mask(weight).sum().getFloat();
            }
            assertEquals(13_310L, kept);
        }
    }

    /** The largest difference between two parameter lists, after checking that the weights trained at all. */
    private static double largestDifference(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        double largest = 0;
        double moved = 0;
        for (int p = 0; p < expected.size(); p++) {
            for (int k = 0; k < expected.get(p).length; k++) {
                largest = Math.max(largest, Math.abs(expected.get(p)[k] - actual.get(p)[k]));
                moved = Math.max(moved, Math.abs(expected.get(p)[k]));
            }
        }
        assertTrue(moved > 0.05, "the weights should have trained: largest " + moved);
        return largest;
    }

    private static List<float[]> thirtySteps(SparsityMethod method, SparseKernel mode, double crossover) {
        try (TrainingSession session = run(method, mode).session()) {
            if (session.sparseStep() != null) {
                session.sparseStep().useCrossover(crossover);
            }
            for (int i = 0; i < 30; i++) {
                session.trainStep();
            }
            return parameters(session);
        }
    }

    @Test
    void aDenseModelTrainsInsideTheKernelOnEveryLayersDensePath() {
        assumeTrue(SparseMlpKernel.denseProductAvailable(), "PyTorch's sgemm_ not found: " + NativeKernels.status());
        try (TrainingSession session = run(new Dense(), SparseKernel.ON).session()) {
            assertArrayEquals(new boolean[] {true, true, true}, session.sparseStep().denseLayers());
        }
        try (TrainingSession session = run(new Dense(), SparseKernel.AUTO).session()) {
            assertTrue(session.sparseStep().applies(0), "auto takes the kernel's dense path too: the same BLAS, the rest fused");
        }
        Run fitted = run(new Dense(), SparseKernel.AUTO).fit();
        assertEquals(java.util.Map.of("fc1", "dense", "fc2", "dense", "fc3", "dense"),
                fitted.kernelPaths().orElseThrow().layers(), "a dense model trains every layer dense in the kernel");
        assertTrue(fitted.summary().contains("training kernel: fc1 dense, fc2 dense, fc3 dense"), fitted.summary());
        assertTrue(run(new Dense(), SparseKernel.OFF).fit().kernelPaths().isEmpty(), "off: no kernel, no paths");
        List<float[]> djl = thirtySteps(new Dense(), SparseKernel.OFF, 0.5);
        List<float[]> kernel = thirtySteps(new Dense(), SparseKernel.ON, 0.5);
        double largest = largestDifference(djl, kernel);
        assertTrue(largest < 1e-4, "largest difference from DJL's dense path " + largest);
    }

    @Test
    void eachLayerTakesThePathItsDensityAndTheCrossoverGiveIt() {
        assumeTrue(SparseMlpKernel.denseProductAvailable(), "PyTorch's sgemm_ not found: " + NativeKernels.status());
        // ERK at 90% on LeNet-300-100: fc1 (784x300) keeps 8.0%, fc2 (300x100) 23.0%, fc3 (100x10) every weight.
        SparsityMethod erk = StaticMask.builder().sparsity(0.9).budget(Budget.ERK).build();
        try (TrainingSession session = run(erk, SparseKernel.AUTO).session()) {
            SparseMlpStep step = session.sparseStep();
            step.useCrossover(0.5);
            assertArrayEquals(new boolean[] {false, false, true}, step.denseLayers());
            step.useCrossover(0.1);
            assertArrayEquals(new boolean[] {false, true, true}, step.denseLayers());
            assertTrue(step.applies(0), "auto takes the kernel while fc1 runs sparse");
            step.useCrossover(0.05);
            assertArrayEquals(new boolean[] {true, true, true}, step.denseLayers());
            assertTrue(step.applies(0), "every layer dense: still the kernel, never slower than DJL's step");
        }
        List<float[]> djl = thirtySteps(StaticMask.builder().sparsity(0.9).budget(Budget.ERK).build(), SparseKernel.OFF, 0.1);
        try (TrainingSession session = run(StaticMask.builder().sparsity(0.9).budget(Budget.ERK).build(), SparseKernel.ON)
                .session()) {
            session.sparseStep().useCrossover(0.1);
            for (int i = 0; i < 30; i++) {
                session.trainStep();
            }
            double largest = largestDifference(djl, parameters(session));
            assertTrue(largest < 1e-4, "largest difference from DJL's path, one sparse and two dense layers " + largest);
            // fc2 ran dense with its mask: its masked weights stay exactly zero.
            MaskedWeight fc2 = session.model().weights().get(1);
            assertEquals(Math.round(session.model().mask(fc2).sum().getFloat()), keptWithMaskedAtZero(session, fc2));
        }
    }

    /** How many weights the mask keeps, after checking that every masked one is exactly zero. */
    private static long keptWithMaskedAtZero(TrainingSession session, MaskedWeight weight) {
        float[] values = weight.parameter().getArray().toFloatArray();
        float[] mask = session.model().mask(weight).toFloatArray();
        long kept = 0;
        for (int k = 0; k < values.length; k++) {
            if (mask[k] == 0f) {
                assertEquals(0f, values[k], weight.name() + " position " + k + " is masked");
            } else {
                kept++;
            }
        }
        return kept;
    }

    @Test
    void aCheckpointKeepsTheCrossoverSoAResumedRunTakesTheSamePaths() {
        assumeTrue(SparseMlpKernel.denseProductAvailable(), "PyTorch's sgemm_ not found: " + NativeKernels.status());
        com.google.gson.JsonObject header = new com.google.gson.JsonObject();
        java.util.Map<String, NDArray> tensors = new java.util.LinkedHashMap<>();
        try (TrainingSession saved = run(StaticMask.builder().sparsity(0.9).budget(Budget.ERK).build(), SparseKernel.AUTO)
                .session();
             TrainingSession resumed = run(StaticMask.builder().sparsity(0.9).budget(Budget.ERK).build(),
                     SparseKernel.AUTO).session()) {
            saved.sparseStep().useCrossover(0.37);
            saved.trainStep();
            new SessionCheckpoint(saved).save(header, tensors);
            assertEquals(0.37, header.get("sparseKernelCrossover").getAsDouble());
            new SessionCheckpoint(resumed).restore(new TensorFile.Contents(header, tensors), java.nio.file.Path.of("test"));
            assertEquals(0.37, resumed.sparseStep().crossover());
            assertArrayEquals(saved.sparseStep().denseLayers(), resumed.sparseStep().denseLayers());
        }
    }

    @Test
    void twoEpochsReportTheSameLossesAndAccuraciesAsTheDensePath() {
        assumeTrue(NativeKernels.available(), NativeKernels.status());
        DataSplit more = Datasets.mnist().subset(20_000, 2_000);
        Run dense = run(more, StaticMask.builder().sparsity(0.98).build(), SparseKernel.OFF).epochs(2).fit();
        Run sparse = run(more, StaticMask.builder().sparsity(0.98).build(), SparseKernel.ON).epochs(2).fit();
        assertSameEpochs(dense, sparse);
        assertEquals(0.98, sparse.measuredSparsity(), 1e-12);
        assertTrue(sparse.testAccuracy() > 0.70, // measured 0.7525 (dense path the same within 0.005)
                "test accuracy " + sparse.testAccuracy() + " at 98% after 2 epochs of 20,000 images");
    }

    @Test
    void methodsThatMoveMasksAgreeWithTheDensePathOverTwoEpochs() {
        assumeTrue(NativeKernels.available(), NativeKernels.status());
        // Masks change every 16 steps here (GMP after the step; RigL and SET between backward and step, on the
        // dense path), and the kernel rebuilds its rows after each change.
        DataSplit more = Datasets.mnist().subset(8_192, 2_000);
        List<java.util.function.Supplier<SparsityMethod>> methods = List.of(
                () -> Gmp.builder().sparsity(0.98).initialSparsity(0.95).every(16).build(),
                () -> DynamicSparse.rigl().sparsity(0.98).every(16).build(),
                () -> DynamicSparse.set().sparsity(0.98).every(16).build());
        for (var method : methods) {
            Run dense = run(more, method.get(), SparseKernel.OFF).epochs(2).fit();
            Run sparse = run(more, method.get(), SparseKernel.ON).epochs(2).fit();
            assertSameEpochs(dense, sparse);
            assertEquals(dense.measuredSparsity(), sparse.measuredSparsity(), 1e-12, dense.toString());
        }
    }

    @Test
    void snipTakesTheKernelOnlyAfterItsScoringSteps() {
        assumeTrue(NativeKernels.available(), NativeKernels.status());
        Run dense = run(Snip.builder().sparsity(0.95).build(), SparseKernel.OFF).fit();
        Run sparse = run(Snip.builder().sparsity(0.95).build(), SparseKernel.ON).fit();
        assertSameEpochs(dense, sparse);
    }

    @Test
    void onRefusesRunsItCannotTrainAndAutoFallsBackToTheDensePath() {
        assumeTrue(NativeKernels.available(), NativeKernels.status());
        IllegalArgumentException conv = assertThrows(IllegalArgumentException.class,
                () -> SparseTraining.of("lenet5", data).method(StaticMask.builder().sparsity(0.95).build())
                        .sparseKernel(SparseKernel.ON).session().close());
        assertTrue(conv.getMessage().contains("not a sequence of Linear layers"), conv.getMessage());
        IllegalArgumentException pdp = assertThrows(IllegalArgumentException.class,
                () -> run(Pdp.builder().sparsity(0.95).build(), SparseKernel.ON).session().close());
        assertTrue(pdp.getMessage().contains("changes weights inside the forward pass"), pdp.getMessage());
        IllegalArgumentException adam = assertThrows(IllegalArgumentException.class,
                () -> run(StaticMask.builder().sparsity(0.95).build(), SparseKernel.ON)
                        .optimizer(Optimizers.adamW().lr(1e-3)).session().close());
        assertTrue(adam.getMessage().contains("not SGD"), adam.getMessage());
        // RigL reads the dense gradient at its update steps (every dT = 8 here): those steps stay on the dense path.
        try (TrainingSession session = run(DynamicSparse.rigl().sparsity(0.98).every(8).build(), SparseKernel.ON).session()) {
            assertNotNull(session.sparseStep());
            assertTrue(!session.sparseStep().applies(8), "an update step");
            assertTrue(session.sparseStep().applies(9), "a step between updates");
        }
        // auto: each layer on its cheaper side of the crossover (measured 0.11-0.12 here), fixed for the test at 0.2.
        try (TrainingSession session = run(StaticMask.builder().sparsity(0.5).build(), SparseKernel.AUTO).session()) {
            session.sparseStep().useCrossover(0.2);
            assertTrue(session.sparseStep().applies(0), "auto takes the kernel");
            if (SparseMlpKernel.denseProductAvailable()) {
                // ERK at 50%: fc1 keeps 43.4%, fc2 and fc3 every weight: every layer dense.
                assertArrayEquals(new boolean[] {true, true, true}, session.sparseStep().denseLayers());
            }
        }
        try (TrainingSession session = run(StaticMask.builder().sparsity(0.98).build(), SparseKernel.AUTO).session()) {
            session.sparseStep().useCrossover(0.2);
            assertTrue(session.sparseStep().applies(0), "98% takes the kernel");
            if (SparseMlpKernel.denseProductAvailable()) {
                // ERK at 98%: fc1 keeps 1.5%, fc2 4.5%, fc3 (100x10) 36.7%: only the last layer dense.
                assertArrayEquals(new boolean[] {false, false, true}, session.sparseStep().denseLayers());
            }
        }
        try (TrainingSession session = run(StaticMask.builder().sparsity(0.98).build(), SparseKernel.OFF).session()) {
            assertNull(session.sparseStep());
        }
    }

    @Test
    void sparseKernelModesParseAndNameTheAcceptedValues() {
        assertEquals(SparseKernel.AUTO, SparseKernel.parse("auto"));
        assertEquals(SparseKernel.OFF, SparseKernel.parse("OFF"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> SparseKernel.parse("fast"));
        assertEquals("sparse kernel 'fast' is not one of auto, on, off", bad.getMessage());
    }
}
