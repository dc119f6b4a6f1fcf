package org.prune4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.prune4j.ManagedTest;
import org.prune4j.kernel.NativeKernels;
import org.prune4j.mask.Pattern;
import org.prune4j.mask.TopK;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.nn.Models;
import org.prune4j.nn.TransformingParameterStore;

import java.util.Arrays;
import java.util.Random;

class PdpTest extends ManagedTest {

    @BeforeEach
    void seed() {
        Engine.getInstance().setRandomSeed(3);
    }

    private Block lenet300() {
        Block block = Models.lenet300(10);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        return block;
    }

    @Test
    void asTauGoesToZeroTheSoftMaskIsTheHardTopKMask() {
        NDArray w = manager.randomNormal(0, 0.05f, new Shape(40, 30), DataType.FLOAT32);
        long keep = 360;
        NDArray t2 = SoftMasks.thresholdSquared(w.abs(), keep);
        float[] hard = TopK.mask(w.abs(), keep).toFloatArray();
        float[] soft = SoftMasks.mask(w.square(), t2, 1e-12).toFloatArray();
        assertArrayEquals(hard, soft);
        // A larger tau is soft: values strictly between 0 and 1 appear, and m >= 0.5 is still the top-k.
        float[] softer = SoftMasks.mask(w.square(), t2, 1e-3).toFloatArray();
        long between = 0;
        for (int i = 0; i < softer.length; i++) {
            between += softer[i] > 0.01 && softer[i] < 0.99 ? 1 : 0;
            assertEquals(hard[i], softer[i] >= 0.5f ? 1f : 0f, "position " + i);
        }
        assertTrue(between > 10, between + " soft values");
    }

    @Test
    void thresholdIsTheMidpointBetweenSmallestKeptAndLargestPruned() {
        NDArray w = manager.create(new float[] {0.1f, -0.5f, 0.3f, 0.2f, -0.05f});
        assertEquals(0.25 * 0.25, SoftMasks.thresholdSquared(w.abs(), 2).getFloat(), 1e-7);
        assertEquals(0.15 * 0.15, SoftMasks.thresholdSquared(w.abs(), 3).getFloat(), 1e-7);
        assertEquals(0.075 * 0.075, SoftMasks.thresholdSquared(w.abs(), 4).getFloat(), 1e-7);
        // The host form gives the same float as the device one.
        assertEquals(SoftMasks.thresholdSquared(w.abs(), 2).getFloat(), SoftMasks.midpointSquared(0.3f, 0.2f));
    }

    /** Against a host sort, on both selection branches, with heavy ties (values from a few levels). */
    @ParameterizedTest(name = "size {0}, keep {1}, {2} levels")
    @CsvSource({"7,1,3", "7,3,3", "7,4,3", "7,6,3", "100,10,5", "100,50,2", "100,90,5", "1000,999,1000", "1000,1,1000"})
    void thresholdMatchesASortedReferenceWithTies(int size, int keep, int levels) {
        Random random = new Random(size * 131L + keep);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextInt(levels) / (float) levels;
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        float kept = sorted[size - keep];
        float pruned = sorted[size - keep - 1];
        float mid = (kept + pruned) / 2;
        assertEquals(mid * mid, SoftMasks.thresholdSquared(manager.create(values), keep).getFloat(), 1e-7);
    }

    /**
     * The in-place soft mask has the values of the plain formula and autograd's gradient of w·m(w) is the
     * hand-derived one: d(w·m)/dw = m + w·m' with m' = m(1 − m)·2w/τ.
     */
    @Test
    void softMaskOfWeightsHasTheFormulaValuesAndGradient() {
        float[] values = {0.3f, -0.05f, 0.12f, -0.2f, 0.01f, 0.15f};
        float[] upstream = {1f, -2f, 0.5f, 3f, -1f, 2f};
        double tau = 1e-2;
        NDArray t2 = manager.create(0.1f * 0.1f);
        NDArray w = manager.create(values);
        w.setRequiresGradient(true);
        float[] m;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray mask = SoftMasks.maskOfWeights(w, t2, tau);
            m = mask.toFloatArray();
            collector.backward(w.mul(mask).mul(manager.create(upstream)).sum());
        }
        float[] plain = SoftMasks.mask(w.square(), t2, tau).toFloatArray();
        float[] grad = w.getGradient().toFloatArray();
        for (int i = 0; i < values.length; i++) {
            double z = (values[i] * (double) values[i] - 0.01) / tau;
            double expectedM = 1 / (1 + Math.exp(-z));
            assertEquals(expectedM, m[i], 1e-6, "m at " + i);
            assertEquals(plain[i], m[i], "same values as mask(w.square(), ...) at " + i);
            double derivative = expectedM + values[i] * expectedM * (1 - expectedM) * 2 * values[i] / tau;
            assertEquals(upstream[i] * derivative, grad[i], 1e-5, "gradient at " + i);
        }
    }

    /**
     * The forward value PDP uses, w·m(w) recorded as one multiply, has the formula's values and autograd's
     * gradient of the recorded formula w.mul(maskOfWeights(w)), for a scalar t² and for one t² per group (N:M).
     */
    @Test
    void softMaskedWeightsHaveTheValuesAndGradientOfTheRecordedFormula() {
        float[] values = {0.3f, -0.05f, 0.12f, -0.2f, 0.01f, 0.15f, -0.11f, 0.0f};
        float[] upstream = {1f, -2f, 0.5f, 3f, -1f, 2f, 0.25f, 4f};
        double tau = 1e-2;
        NDArray[] thresholds = {manager.create(0.1f * 0.1f), manager.create(new float[] {0.01f, 0.02f}, new Shape(2, 1))};
        for (NDArray t2 : thresholds) {
            float[][] result = new float[2][];
            float[][] grads = new float[2][];
            for (int variant = 0; variant < 2; variant++) {
                NDArray w = manager.create(values, new Shape(2, 4));
                w.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray out = variant == 0 ? w.mul(SoftMasks.maskOfWeights(w, t2, tau)) : SoftMasks.softMasked(w, t2, tau);
                    result[variant] = out.toFloatArray();
                    collector.backward(out.mul(manager.create(upstream, new Shape(2, 4))).sum());
                }
                grads[variant] = w.getGradient().toFloatArray();
            }
            for (int i = 0; i < values.length; i++) {
                assertEquals(result[0][i], result[1][i], 1e-7, "value at " + i + ", t² shape " + t2.getShape());
                assertEquals(grads[0][i], grads[1][i], 1e-5 * Math.max(1, Math.abs(grads[0][i])),
                        "gradient at " + i + ", t² shape " + t2.getShape());
            }
        }
    }

    @Test
    void gradientsReachPrunedWeightsThroughTheSoftMask() {
        SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(8).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(4, 16));
        SparseModel model = SparseModel.of(block);
        Pdp pdp = Pdp.builder().sparsity(0.75).tau(1e-2).warmupEpochs(0).fineTuneEpochs(1).eps(1).build();
        pdp.onStart(new FakeContext(model, 10, 3, 1));
        MaskedWeight weight = model.weights().get(0);
        float[] m = pdp.maskValues(weight.name());
        NDArray x = manager.randomNormal(new Shape(4, 16));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out = block.forward(new TransformingParameterStore(manager, model, pdp), new NDList(x), true)
                    .singletonOrThrow();
            collector.backward(out.square().sum());
        }
        float[] grad = model.values(weight).getGradient().toFloatArray();
        int pruned = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] < 0.1) {
                pruned++;
                assertTrue(m[i] > 0, "the soft mask is never exactly 0");
                assertTrue(grad[i] != 0, "gradient at pruned position " + i + " (m=" + m[i] + ")");
            }
        }
        assertTrue(pruned > 30, pruned + " positions with m < 0.1");
    }

    /**
     * The fused CPU kernels and the DJL ops compute the same training: five steps of LeNet-300-100 with the
     * threshold recomputed at every step, compared loss by loss and weight by weight.
     */
    @ParameterizedTest
    @ValueSource(strings = {"unstructured", "2:4"})
    void fusedKernelsAndDjlOpsTrainAlike(String patternName) {
        assumeTrue(NativeKernels.available(), NativeKernels.status());
        int steps = 5;
        float[][] losses = new float[2][steps];
        float[][][] weights = new float[2][][];
        for (int variant = 0; variant < 2; variant++) {
            Engine.getInstance().setRandomSeed(3);
            Block block = lenet300();
            NDArray x = manager.randomNormal(new Shape(32, 1, 28, 28));
            SparseModel model = SparseModel.of(block);
            Pdp pdp = Pdp.builder().sparsity(patternName.equals("2:4") ? 0.5 : 0.9).pattern(Pattern.parse(patternName))
                    .tau(1e-2).warmupEpochs(0).fineTuneEpochs(1).eps(1).thresholdEvery(1)
                    .nativeKernel(variant == 0).build();
            FakeContext context = new FakeContext(model, 10, 3, 1);
            pdp.onStart(context);
            TransformingParameterStore store = new TransformingParameterStore(manager, model, pdp);
            for (int step = 0; step < steps; step++) {
                // In a scope, as the trainer runs each step: what the method keeps must outlive it.
                try (NDScope ignored = new NDScope()) {
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray out = block.forward(store, new NDList(x), true).singletonOrThrow();
                        NDArray loss = out.square().mean();
                        losses[variant][step] = loss.getFloat();
                        collector.backward(loss);
                    }
                    for (var parameter : block.getParameters().values()) {
                        NDArray value = parameter.getArray();
                        NDArray grad = value.getGradient();
                        value.subi(grad.mul(0.1f));
                        grad.muli(0);
                    }
                    context.step++;
                    pdp.afterStep(context);
                }
            }
            weights[variant] = model.weights().stream().map(w -> model.values(w).toFloatArray()).toArray(float[][]::new);
        }
        for (int step = 0; step < steps; step++) {
            assertEquals(losses[1][step], losses[0][step], 1e-5 * Math.abs(losses[1][step]), "loss at step " + step);
        }
        for (int layer = 0; layer < weights[0].length; layer++) {
            for (int i = 0; i < weights[0][layer].length; i++) {
                assertEquals(weights[1][layer][i], weights[0][layer][i], 1e-5, "layer " + layer + ", weight " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unstructured", "2:4", "channel"})
    void hardeningYieldsTheExactTargetCount(String patternName) {
        Pattern pattern = Pattern.parse(patternName);
        double sparsity = patternName.equals("2:4") ? 0.5 : 0.9;
        SparseModel model = SparseModel.of(lenet300());
        Pdp pdp = Pdp.builder().sparsity(sparsity).pattern(pattern).warmupEpochs(0).fineTuneEpochs(1).build();
        FakeContext context = new FakeContext(model, 10, 4, 1);
        pdp.onStart(context);
        long[] targets = pdp.targets();
        pdp.harden();
        long kept = 0;
        for (MaskedWeight w : model.weights()) {
            boolean classifier = patternName.equals("channel") && w.index() == model.weights().size() - 1;
            if (classifier) {
                // Channel sparsity keeps the classifier dense: its output channels are the classes.
                assertEquals(null, model.mask(w), w.name());
                assertEquals(w.size(), targets[w.index()], w.name());
                kept += w.size();
                continue;
            }
            long layerKept = (long) model.mask(w).sum().getFloat();
            assertEquals(targets[w.index()], layerKept, w.name());
            assertEquals(layerKept, model.nonzeros(w), w.name());
            kept += layerKept;
        }
        if (patternName.equals("unstructured")) {
            assertEquals(Math.round(0.1 * model.totalWeights()), kept);
        } else if (patternName.equals("2:4")) {
            assertEquals(model.totalWeights() / 2, kept);
            for (MaskedWeight w : model.weights()) {
                float[] perGroup = model.mask(w).reshape(-1, 4).sum(new int[] {1}).toFloatArray();
                for (float g : perGroup) {
                    assertEquals(2f, g, w.name());
                }
            }
        } else {
            assertEquals(Math.round(0.1 * model.totalWeights()), kept, 1000, "the other layers carry the classifier's share");
            for (MaskedWeight w : model.weights().subList(0, model.weights().size() - 1)) {
                long fanIn = w.size() / w.shape().get(0);
                for (float c : model.mask(w).reshape(w.shape().get(0), -1).sum(new int[] {1}).toFloatArray()) {
                    assertTrue(c == 0 || c == fanIn, w.name() + " channel sum " + c);
                }
            }
        }
        // After hardening the forward pass computes with the plain (hard-masked) weight.
        NDArray w0 = model.values(model.weights().get(0));
        assertTrue(pdp.apply(model.weights().get(0), w0, true) == w0);
    }

    @Test
    void phasesFollowTheEpochs() {
        SparseModel model = SparseModel.of(lenet300());
        Pdp pdp = Pdp.builder().sparsity(0.8).warmupEpochs(1).fineTuneEpochs(1).build();
        FakeContext context = new FakeContext(model, 10, 4, 1);
        pdp.onStart(context);
        assertEquals(null, pdp.targets());
        assertEquals(2, pdp.hardenEpoch());
        context.step = 9; // end of epoch 0: warm-up over
        pdp.onEpochEnd(context);
        assertEquals(0.5, pdp.rampFraction(), 1e-12);
        context.step = 19;
        pdp.onEpochEnd(context);
        assertEquals(1.0, pdp.rampFraction(), 1e-12);
        context.step = 29;
        pdp.onEpochEnd(context);
        assertTrue(pdp.hardened());
        assertEquals(0.2, model.maskDensity(), 1e-5);
    }

    @Test
    void builderRejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> Pdp.builder().sparsity(0.9).tau(0).build());
        assertThrows(IllegalArgumentException.class, () -> Pdp.builder().sparsity(0.9).pattern(Pattern.block(2, 2)).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pdp.builder().sparsity(0.9).pattern(Pattern.nOfM(2, 4)).build());
        assertTrue(e.getMessage().contains("2:4") && e.getMessage().contains("0.5"), e.getMessage());
        SparseModel model = SparseModel.of(lenet300());
        Pdp tooShort = Pdp.builder().sparsity(0.9).warmupEpochs(2).fineTuneEpochs(1).build();
        assertThrows(IllegalArgumentException.class, () -> tooShort.onStart(new FakeContext(model, 10, 3, 1)));
    }
}
