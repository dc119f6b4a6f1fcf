package org.prune4j.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prune4j.bench.ExportBenchmark;
import org.prune4j.nn.BertClassifier;
import org.prune4j.nn.Models;

/**
 * Sparse inference of BERT-Tiny: the encoder's forward with the CSR kernel in its Linear layers gives the DJL
 * forward's logits, padding included, whatever the plan.
 */
class SparseEncoderInferenceTest {

    private static final int LENGTH = 32;
    private static final long[] INPUT = {1, LENGTH};

    private static Model pruned(double sparsity) {
        Engine.getInstance().setRandomSeed(7);
        Model model = Model.newInstance("bert-tiny");
        BertClassifier block = (BertClassifier) Models.bertTiny(2);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(INPUT));
        ExportBenchmark.prune(block, sparsity);
        return model;
    }

    /** Token ids of {@code batch} reviews; every other review is padded after a third of its tokens. */
    private static float[] reviews(int batch) {
        Random random = new Random(batch);
        float[] ids = new float[batch * LENGTH];
        for (int r = 0; r < batch; r++) {
            for (int t = 0; t < LENGTH; t++) {
                ids[r * LENGTH + t] = r % 2 == 1 && t >= LENGTH / 3 ? BertClassifier.PAD : 1 + random.nextInt(19_999);
            }
        }
        return ids;
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4f * Math.max(1f, Math.abs(expected[i])), "logit " + i);
        }
    }

    private static SparseEncoderInference compile(Model model, double maxDensity) {
        return SparseEncoderInference.compile((BertClassifier) model.getBlock(), model.getNDManager(), INPUT, maxDensity);
    }

    @ParameterizedTest
    @CsvSource({"0.9, 1", "0.9, 3", "0.5, 4", "0.98, 2"})
    void theSparsePathGivesTheDenseForwardsLogits(double sparsity, int batch) {
        try (Model model = pruned(sparsity)) {
            SparseEncoderInference inference = compile(model, 1.0);
            assertEquals("sparse", inference.pathName(batch));
            float[] input = reviews(batch);
            assertClose(inference.predictDense(input, batch), inference.predict(input, batch));
        }
    }

    @Test
    void anAllDensePlanComputesWhatDjlsBlocksCompute() {
        try (Model model = pruned(0.9)) {
            SparseEncoderInference inference = compile(model, 0);
            assertEquals("dense", inference.pathName(3));
            float[] input = reviews(3);
            // The same operations in the same order as DJL's attention block: not close, identical.
            assertArrayEquals(inference.predictDense(input, 3), inference.predict(input, 3));
        }
    }

    @Test
    void everyLinearLayerIsPlannedUnderItsLayerName() {
        try (Model model = pruned(0.9)) {
            List<String> expected = new ArrayList<>();
            for (int layer = 1; layer <= 2; layer++) {
                for (String role : List.of("key", "query", "value", "out", "ff1", "ff2")) {
                    expected.add("enc" + layer + "." + role);
                }
            }
            expected.add("classifier");
            List<SparseInference.Choice> choices = compile(model, 0.5).choices(1);
            assertEquals(expected, choices.stream().map(SparseInference.Choice::layer).toList());
            assertEquals("512x128", choices.get(4).shape());
            for (SparseInference.Choice choice : choices) {
                // Top-k magnitude pruning keeps exactly 10% of every weight matrix (256 weights round to 26 kept).
                assertEquals(0.1, choice.density(), 0.002, choice.layer());
                assertTrue(choice.sparse(), choice.layer());
            }
        }
    }

    /**
     * Cost models of 1 ns per nonzero per row sparse and 1 us per call dense, where each side pays the call once:
     * a layer runs sparse when its density is below the dense cost per weight per row. At 0.01 ns per weight (10%
     * density costs 0.1 ns per weight) every layer of the 90%-sparse model stays dense, at 0.2 ns every one runs sparse:
     * for enc1.key, 1,638 nonzeros x 32 rows x 1 ns + 1 us = 53.4 us against 1 us + 16,384 x 32 x 0.2 ns = 105.9 us.
     */
    @ParameterizedTest
    @CsvSource({"0.01, dense", "0.2, sparse"})
    void theCostModelChoosesByDensityAgainstTheDenseCost(double denseNsPerWeightRow, String path) {
        InferenceCostModel costs = new InferenceCostModel(0, 1, 1, 1000, 0, denseNsPerWeightRow);
        try (Model model = pruned(0.9)) {
            SparseEncoderInference inference = SparseEncoderInference.compile((BertClassifier) model.getBlock(),
                    model.getNDManager(), INPUT, costs);
            assertEquals(path, inference.pathName(1));
            assertEquals(path, inference.pathName(2));
            float[] input = reviews(2);
            assertClose(inference.predictDense(input, 2), inference.predict(input, 2));
        }
    }

    /** The default plan times every layer both ways (each several times on one input) and keeps the logits. */
    @Test
    void theMeasuredPlanGivesTheDenseForwardsLogits() {
        try (Model model = pruned(0.95)) {
            SparseEncoderInference inference = SparseEncoderInference.compile((BertClassifier) model.getBlock(),
                    model.getNDManager(), INPUT);
            assertEquals(13, inference.choices(2).size());
            float[] input = reviews(2);
            assertClose(inference.predictDense(input, 2), inference.predict(input, 2));
        }
    }

    @Test
    void aBatchThatDoesNotMatchItsIdsIsRefused() {
        try (Model model = pruned(0.9)) {
            SparseEncoderInference inference = compile(model, 1.0);
            assertEquals("31 token ids for a batch of 1 reviews of 32 tokens",
                    assertThrows(IllegalArgumentException.class, () -> inference.predict(new float[31], 1)).getMessage());
        }
    }
}
