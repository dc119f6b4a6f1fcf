package org.prune4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;
import org.prune4j.FloatBits;
import org.prune4j.ManagedTest;
import org.prune4j.optim.MaskAwareOptimizer;
import org.prune4j.optim.Optimizers;

/**
 * Masking leaves +0.0 (raw bits 0) at pruned positions, never -0.0, so that an exported model stores no
 * pruned weight and still reloads bit for bit (docs/export-format.md).
 */
class MaskedZerosTest extends ManagedTest {

    private static int[] bits(NDArray array) {
        return FloatBits.of(array);
    }

    private static int[] expectedBits(float... values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    private SparseModel linear(float... weights) {
        Linear linear = Linear.builder().setUnits(2).build();
        linear.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        SparseModel model = SparseModel.of(linear);
        model.values(model.weights().get(0)).set(weights);
        return model;
    }

    @Test
    void applyMaskLeavesPositiveZerosAndKeepsEveryOtherValue() {
        NDArray weight = manager.create(new float[] {-1f, 2f, -3f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE});
        NDArray mask = manager.create(new float[] {0f, 0f, 1f, 1f, 1f, 1f});
        SparseModel.applyMask(weight, mask);
        // A plain product would give -0.0 at position 0; kept values keep their bits (denormals too).
        assertArrayEquals(expectedBits(0f, 0f, -3f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE), bits(weight));
    }

    @Test
    void setMaskApplyMasksAndAnOptimizerStepLeavePositiveZeros() {
        SparseModel model = linear(-1f, -2f, 3f, -4f, 5f, -6f);
        MaskedWeight weight = model.weights().get(0);
        NDArray w = model.values(weight);
        MaskAwareOptimizer sgd = Optimizers.sgd().lr(0.1).momentum(0.9).create(100, 1);
        sgd.bind(model);
        model.setMask(weight, manager.create(new float[] {0, 1, 0, 1, 0, 1}, new Shape(2, 3)));
        assertArrayEquals(expectedBits(0f, -2f, 0f, -4f, 0f, -6f), bits(w));

        // A step moves the pruned weights to about -0.1 (the gradient is 1) before the optimizer masks them.
        w.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(w.sum());
        }
        sgd.update(weight.parameter().getId(), w, w.getGradient().duplicate());
        assertPrunedArePositiveZerosAndKeptAreNegative(bits(w));

        w.subi(1f);
        model.applyMasks();
        assertPrunedArePositiveZerosAndKeptAreNegative(bits(w));
    }

    private static void assertPrunedArePositiveZerosAndKeptAreNegative(int[] bits) {
        for (int i = 0; i < bits.length; i++) {
            if (i % 2 == 0) {
                assertEquals(0, bits[i], "pruned position " + i + ": " + Float.intBitsToFloat(bits[i]));
            } else {
                assertTrue(Float.intBitsToFloat(bits[i]) < -1f, "kept position " + i + ": " + Float.intBitsToFloat(bits[i]));
            }
        }
    }
}
