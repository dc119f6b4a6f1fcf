package org.prune4j.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prune4j.export.TestModels;

import java.util.Random;

class SparseInferenceTest {

    @ParameterizedTest
    @CsvSource({"lenet300, 0.95, 1", "lenet300, 0.95, 64", "lenet300, 0.5, 7", "lenet5, 0.9, 3"})
    void theSparsePathEqualsTheDenseForwardWithinFloatTolerance(String name, double sparsity, int batch) {
        try (Model model = TestModels.pruned(name, sparsity, 5)) {
            SparseInference inference = SparseInference.compile(model.getBlock(), model.getNDManager(),
                    new long[] {1, 1, 28, 28}, 1.0);
            assertTrue(inference.anySparse());
            float[] input = new float[batch * 784];
            Random random = new Random(1);
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextFloat();
            }
            float[] dense = inference.predictDense(input, batch);
            float[] sparse = inference.predict(input, batch);
            assertEquals(batch * 10, sparse.length);
            for (int i = 0; i < dense.length; i++) {
                assertEquals(dense[i], sparse[i], 1e-4f * Math.max(1f, Math.abs(dense[i])), "output " + i);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0.5, false", "0.95, true"})
    void theAutomaticChoiceRunsDenseLayersDenseAndSparseLayersSparse(double sparsity, boolean sparse) {
        try (Model model = TestModels.pruned("lenet300", sparsity, 5)) {
            SparseInference inference = SparseInference.compile(model.getBlock(), model.getNDManager(),
                    new long[] {1, 1, 28, 28}, SparseInference.DEFAULT_MAX_DENSITY);
            assertEquals(sparse, inference.anySparse());
            inference.choices().forEach(c -> assertEquals(sparse, c.sparse(), c.toString()));
            float[] input = new float[2 * 784];
            float[] a = inference.predict(input, 2);
            assertEquals(20, a.length);
            assertFalse(Float.isNaN(a[0]));
        }
    }
}
