package org.prune4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;

import org.junit.jupiter.api.Test;
import org.prune4j.ManagedTest;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.optim.MaskAwareOptimizer;
import org.prune4j.optim.Optimizers;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

class DropAndGrowTest extends ManagedTest {

    /** The tiny model at 70% sparsity (uniform random mask), random distinct weights, random gradients. */
    private SparseModel sparseModel(long seed) {
        SparseModel model = TinyModels.twoLayers(manager);
        TinyModels.randomizeWeights(model, seed);
        List<NDArray> scores = Scores.random(model, new Random(seed));
        LayerAllocation.uniform().keepTopScores(model, scores, 0.3);
        Scores.close(scores);
        TinyModels.setGradients(model, TinyModels.randomGradients(model, seed + 1));
        return model;
    }

    @Test
    void everyLayerKeepsItsNonzeroCount() {
        SparseModel model = sparseModel(3);
        long[] before = model.weights().stream().mapToLong(model::nonzeros).toArray();
        long[] swapped = DropAndGrow.rigl().apply(model, 0.3, new Random(1));
        long[] after = model.weights().stream().mapToLong(model::nonzeros).toArray();
        long[] masks = model.weights().stream().mapToLong(w -> TinyModels.count(TinyModels.mask(model, w))).toArray();
        assertArrayEquals(before, masks);
        // Regrown weights are 0, so the weights' nonzeros drop by exactly the regrown count.
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i] - swapped[i], after[i], "layer " + i);
            assertEquals((long) Math.ceil(0.3 * before[i]), swapped[i], "layer " + i);
        }
    }

    @Test
    void dropsSmallestSurvivorsAndRegrowsExactlyTheTopGradientZeros() {
        SparseModel model = sparseModel(5);
        float[][] gradients = TinyModels.randomGradients(model, 6);
        float[][] oldMasks = new float[2][];
        float[][] weights = new float[2][];
        for (MaskedWeight w : model.weights()) {
            oldMasks[w.index()] = TinyModels.mask(model, w);
            weights[w.index()] = model.values(w).toFloatArray();
        }
        DropAndGrow.rigl().apply(model, 0.4, new Random(1));
        for (MaskedWeight w : model.weights()) {
            float[] old = oldMasks[w.index()];
            float[] g = gradientsOf(model, w);
            float[] wv = weights[w.index()];
            long nnz = TinyModels.count(old);
            int n = (int) Math.ceil(0.4 * nnz);
            int[] survivors = IntStream.range(0, old.length).filter(i -> old[i] == 1).boxed()
                    .sorted(Comparator.comparingDouble(i -> Math.abs(wv[i]))).mapToInt(Integer::intValue).toArray();
            int[] zeros = IntStream.range(0, old.length).filter(i -> old[i] == 0).boxed()
                    .sorted(Comparator.comparingDouble(i -> -Math.abs(g[i]))).mapToInt(Integer::intValue).toArray();
            float[] expected = old.clone();
            for (int i = 0; i < n; i++) {
                expected[survivors[i]] = 0;
                expected[zeros[i]] = 1;
            }
            assertArrayEquals(expected, TinyModels.mask(model, w), "layer " + w.name());
        }
        assertTrue(gradients.length > 0);
    }

    private static float[] gradientsOf(SparseModel model, MaskedWeight w) {
        try (NDArray g = model.values(w).getGradient()) {
            return g.toFloatArray();
        }
    }

    @Test
    void regrownWeightsAndTheirMomentumAreZero() {
        SparseModel model = sparseModel(7);
        MaskAwareOptimizer sgd = Optimizers.sgd().lr(0.1).momentum(0.9).create(100, 1);
        sgd.bind(model);
        // Two real updates: momentum fills at every position (gradients are dense, even where masked).
        float[][] gradients = TinyModels.randomGradients(model, 8);
        for (int i = 0; i < 2; i++) {
            for (MaskedWeight w : model.weights()) {
                try (NDArray g = model.values(w).getGradient(); NDArray copy = g.duplicate()) {
                    sgd.update(w.parameter().getId(), model.values(w), copy);
                }
            }
            TinyModels.setGradients(model, gradients);
        }
        float[][] oldMasks = new float[2][];
        for (MaskedWeight w : model.weights()) {
            oldMasks[w.index()] = TinyModels.mask(model, w);
            float[] momentum = sgd.state(w.parameter().getId()).get(0).toFloatArray();
            assertTrue(IntStream.range(0, momentum.length).anyMatch(i -> oldMasks[w.index()][i] == 0 && momentum[i] != 0),
                    "momentum at masked positions is nonzero before regrowth, so the test can fail");
        }
        DropAndGrow.rigl().apply(model, 0.3, new Random(1));
        int regrown = 0;
        for (MaskedWeight w : model.weights()) {
            float[] now = TinyModels.mask(model, w);
            float[] values = model.values(w).toFloatArray();
            float[] momentum = sgd.state(w.parameter().getId()).get(0).toFloatArray();
            for (int i = 0; i < now.length; i++) {
                if (now[i] == 1 && oldMasks[w.index()][i] == 0) {
                    assertEquals(0f, values[i], 0f, "regrown weight " + i + " of " + w.name());
                    assertEquals(0f, momentum[i], 0f, "momentum of regrown weight " + i + " of " + w.name());
                    regrown++;
                }
                if (now[i] == 0) {
                    assertEquals(0f, values[i], 0f); // -0 counts as zero
                    assertEquals(0f, momentum[i], 0f);
                }
            }
        }
        assertTrue(regrown > 0);
        sgd.close();
    }

    @Test
    void randomGrowthPicksOnlyZerosAndSameSeedGivesSameMasks() {
        float[][] first = runSet(11, 21);
        float[][] second = runSet(11, 21);
        float[][] other = runSet(11, 22);
        for (int i = 0; i < first.length; i++) {
            assertArrayEquals(first[i], second[i]);
        }
        assertFalse(Arrays.equals(first[0], other[0]), "another seed grows elsewhere");
    }

    private float[][] runSet(long modelSeed, long growthSeed) {
        SparseModel model = sparseModel(modelSeed);
        float[][] before = new float[2][];
        for (MaskedWeight w : model.weights()) {
            before[w.index()] = TinyModels.mask(model, w);
        }
        DropAndGrow.set().apply(model, 0.3, new Random(growthSeed));
        float[][] after = new float[2][];
        for (MaskedWeight w : model.weights()) {
            after[w.index()] = TinyModels.mask(model, w);
            assertEquals(TinyModels.count(before[w.index()]), TinyModels.count(after[w.index()]));
        }
        return after;
    }

    @Test
    void swapCountIsCappedByTheZeros() {
        assertEquals(3, DropAndGrow.swapCount(0.3, 10, 100));
        assertEquals(2, DropAndGrow.swapCount(0.5, 98, 100));
        assertEquals(0, DropAndGrow.swapCount(0.0, 10, 100));
    }
}
