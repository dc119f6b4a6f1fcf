package org.prune4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.prune4j.ManagedTest;

import java.util.function.Function;

class SoftMaskKernelTest extends ManagedTest {

    private static final float TAU = 1e-2f;

    @BeforeEach
    void needsTheKernels() {
        Engine.getInstance().setRandomSeed(11);
        assumeTrue(NativeKernels.available(), NativeKernels.status());
    }

    /** The recorded formula, autograd all the way: w·sigmoid((w² − t²)/τ), t² broadcast. */
    private static NDArray formula(NDArray w, NDArray t2) {
        return w.mul(Activation.sigmoid(w.square().sub(t2).div(TAU)));
    }

    /** Output values, and the weight's gradient through a Linear layer that computes with the output. */
    private float[][] valuesAndGradient(NDArray values, NDArray input, Function<NDArray, NDArray> transform) {
        NDArray w = values.duplicate();
        w.setRequiresGradient(true);
        float[] out;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray used = transform.apply(w);
            out = used.toFloatArray();
            collector.backward(Linear.linear(input, used).singletonOrThrow().square().sum());
        }
        return new float[][] {out, w.getGradient().toFloatArray()};
    }

    private static void assertClose(float[][] expected, float[][] actual, String what) {
        for (int i = 0; i < expected[0].length; i++) {
            assertEquals(expected[0][i], actual[0][i], 1e-6, what + ": value at " + i);
            assertEquals(expected[1][i], actual[1][i], 2e-5 * Math.max(1, Math.abs(expected[1][i])),
                    what + ": gradient at " + i);
        }
    }

    @Test
    void oneThresholdGivesTheValuesAndGradientOfTheFormula() {
        // 37 x 53: not a multiple of any vector width, so the loops' tails run too.
        NDArray values = manager.randomNormal(0, 0.1f, new Shape(37, 53), DataType.FLOAT32);
        NDArray input = manager.randomNormal(new Shape(8, 53));
        float t2 = 0.08f * 0.08f;
        float[][] expected = valuesAndGradient(values, input, w -> formula(w, manager.create(t2)));
        float[][] fused = valuesAndGradient(values, input, w -> SoftMaskKernel.softMasked(w, 1 / TAU, t2 / TAU));
        assertClose(expected, fused, "one threshold");
        long soft = 0;
        for (float m : expected[0]) {
            soft += m != 0 ? 1 : 0;
        }
        assertTrue(soft > 1000, "the mask is soft: " + soft + " nonzero outputs");
    }

    @Test
    void thresholdsPerWeightGiveTheValuesAndGradientOfTheFormula() {
        // 2:4-like groups: each group of 4 consecutive weights has its own t².
        NDArray values = manager.randomNormal(0, 0.1f, new Shape(12, 20), DataType.FLOAT32);
        NDArray input = manager.randomNormal(new Shape(8, 20));
        NDArray groupT2 = manager.randomUniform(0.001f, 0.01f, new Shape(60, 1));
        NDArray eachT2 = manager.zeros(new Shape(60, 4)).add(groupT2);
        float[][] expected = valuesAndGradient(values, input,
                w -> formula(w.reshape(60, 4), groupT2).reshape(12, 20));
        float[][] fused = valuesAndGradient(values, input,
                w -> SoftMaskKernel.softMaskedEach(w, 1 / TAU, eachT2.div(TAU)));
        assertClose(expected, fused, "per-weight thresholds");
    }

    @Test
    void withoutAutogradTheValuesAreTheFormulas() {
        NDArray w = manager.randomNormal(0, 0.1f, new Shape(1000), DataType.FLOAT32);
        float t2 = 0.05f * 0.05f;
        float[] expected = formula(w, manager.create(t2)).toFloatArray();
        float[] fused = SoftMaskKernel.softMasked(w, 1 / TAU, t2 / TAU).toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], fused[i], 1e-6, "value at " + i);
        }
    }

    @Test
    void aNanWeightGivesANanOutput() {
        // The divergence checks look for NaN: the kernel must not turn one into a number.
        NDArray w = manager.create(new float[] {0.1f, Float.NaN, -0.2f, 0.0f});
        float[] out = SoftMaskKernel.softMasked(w, 1 / TAU, 0.01f / TAU).toFloatArray();
        assertTrue(Float.isNaN(out[1]), "NaN in, NaN out: " + out[1]);
        assertTrue(Float.isFinite(out[0]) && Float.isFinite(out[2]) && out[3] == 0f, "the others are finite");
    }

    @Test
    void thresholdsOfTheWrongSizeAreRejected() {
        NDArray w = manager.zeros(new Shape(4, 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoftMaskKernel.softMaskedEach(w, 1 / TAU, manager.zeros(new Shape(8, 1))));
        assertTrue(e.getMessage().contains("32 weights, 8 thresholds"), e.getMessage());
    }
}
