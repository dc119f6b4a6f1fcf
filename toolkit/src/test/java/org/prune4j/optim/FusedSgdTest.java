package org.prune4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.prune4j.FloatBits;
import org.prune4j.ManagedTest;
import org.prune4j.kernel.NativeKernels;
import org.prune4j.kernel.SgdKernel;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The fused SGD kernel gives the DJL ops' result bit for bit: weights, momentum and the cleared gradient, over
 * several steps, for every SGD variant, masked and dense.
 */
class FusedSgdTest extends ManagedTest {

    // 37 x 53: not a multiple of any vector width, so the kernel's loop tails run too.
    private static final Shape SHAPE = new Shape(37, 53);
    private static final int STEPS = 6;

    @BeforeEach
    void needsTheKernels() {
        assumeTrue(NativeKernels.available(), NativeKernels.status());
    }

    /** Weights, momentum and final gradient after STEPS updates of one masked Linear layer. */
    private List<int[]> train(Optimizers.Sgd settings, boolean fused, boolean masked) {
        Engine.getInstance().setRandomSeed(5);
        Linear linear = Linear.builder().setUnits(SHAPE.get(0)).build();
        linear.initialize(manager, DataType.FLOAT32, new Shape(8, SHAPE.get(1)));
        SparseModel model = SparseModel.of(linear);
        MaskedWeight weight = model.weights().get(0);
        MaskAwareOptimizer sgd = settings.fusedKernel(fused).create(100, 1);
        sgd.bind(model);
        if (masked) {
            // Keeps the weights whose value is above the median: about half, and negative ones among the pruned,
            // so w·0 gives -0 that the mask's + 0 must turn into +0 on both paths.
            NDArray w = model.values(weight);
            model.setMask(weight, w.gt(w.flatten().sort().get(w.size() / 2)).toType(DataType.FLOAT32, false));
        }
        NDArray w = model.values(weight);
        String id = weight.parameter().getId();
        for (int step = 0; step < STEPS; step++) {
            NDArray input = manager.randomNormal(new Shape(8, SHAPE.get(1)));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(Linear.linear(input, w).singletonOrThrow().square().sum());
            }
            sgd.update(id, w, w.getGradient().duplicate());
        }
        List<int[]> bits = new ArrayList<>();
        bits.add(bits(w));
        sgd.state(id).forEach(state -> bits.add(bits(state)));
        bits.add(bits(w.getGradient()));
        return bits;
    }

    private static int[] bits(NDArray array) {
        return FloatBits.of(array);
    }

    private void assertBitIdentical(Optimizers.Sgd settings, String what) {
        for (boolean masked : new boolean[] {false, true}) {
            List<int[]> djl = train(settings, false, masked);
            List<int[]> fused = train(settings, true, masked);
            assertEquals(djl.size(), fused.size(), what);
            for (int tensor = 0; tensor < djl.size(); tensor++) {
                int[] expected = djl.get(tensor);
                int[] actual = fused.get(tensor);
                for (int i = 0; i < expected.length; i++) {
                    if (expected[i] != actual[i]) {
                        throw new AssertionError(what + (masked ? ", masked" : ", dense") + ": tensor " + tensor
                                + " differs at " + i + ": " + Float.intBitsToFloat(expected[i]) + " (DJL ops) vs "
                                + Float.intBitsToFloat(actual[i]) + " (fused)");
                    }
                }
            }
        }
    }

    @Test
    void momentumAndWeightDecay() {
        assertBitIdentical(Optimizers.sgd().lr(0.1).momentum(0.9).weightDecay(5e-4), "sgd momentum 0.9 wd 5e-4");
    }

    @Test
    void nesterov() {
        assertBitIdentical(Optimizers.sgd().lr(0.1).momentum(0.9).nesterov(true).weightDecay(1e-4),
                "sgd nesterov wd 1e-4");
    }

    @Test
    void noMomentumNoWeightDecay() {
        assertBitIdentical(Optimizers.sgd().lr(0.05).momentum(0).weightDecay(0), "plain sgd");
    }

    @Test
    void theKernelRefusesTensorsOfAnotherSize() {
        NDArray weight = manager.zeros(new Shape(4));
        assertTrue(SgdKernel.usable(weight, manager.zeros(new Shape(4)), null, null, null));
        assertFalse(SgdKernel.usable(weight, manager.zeros(new Shape(4)), manager.zeros(new Shape(3)), null, null));
        assertFalse(SgdKernel.usable(weight, manager.zeros(new Shape(4), DataType.FLOAT64), null, null, null));
    }
}
