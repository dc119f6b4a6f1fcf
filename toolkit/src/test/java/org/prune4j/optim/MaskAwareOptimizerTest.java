package org.prune4j.optim;

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
import org.prune4j.ManagedTest;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.util.List;

class MaskAwareOptimizerTest extends ManagedTest {

    private static final float TOL = 1e-6f;

    private NDArray leaf(float... values) {
        NDArray w = manager.create(values);
        w.setRequiresGradient(true);
        return w;
    }

    /** Backward of sum(w * g), so that w's gradient is exactly g (added to whatever it held). */
    private void backward(NDArray w, float[] g) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = w.mul(manager.create(g, w.getShape())).sum();
            collector.backward(loss);
        }
    }

    /** One training step as DJL drives it: backward, then update with a copy of the gradient. */
    private void step(MaskAwareOptimizer optimizer, String id, NDArray w, float[] g) {
        backward(w, g);
        optimizer.update(id, w, w.getGradient().duplicate());
    }

    private static final float[] W = {1, -2, 3, 0.5f};
    private static final float[] G = {0.5f, 1, -1, 2};

    @Test
    void sgdWithMomentumAndWeightDecayTwoSteps() {
        MaskAwareOptimizer sgd = Optimizers.sgd().lr(0.1).momentum(0.9).weightDecay(0.01).create(100, 1);
        NDArray w = leaf(W);
        // g' = g + 0.01 w = [0.51, 0.98, -0.97, 2.005]; v = g'; w -= 0.1 v
        step(sgd, "w", w, G);
        assertArrayEquals(new float[] {0.949f, -2.098f, 3.097f, 0.2995f}, w.toFloatArray(), TOL);
        assertArrayEquals(new float[] {0.51f, 0.98f, -0.97f, 2.005f}, sgd.state("w").get(0).toFloatArray(), TOL);
        // g' = g + 0.01 w1 = [0.50949, 0.97902, -0.96903, 2.002995]; v = 0.9 v1 + g'; w -= 0.1 v
        step(sgd, "w", w, G);
        assertArrayEquals(new float[] {0.96849f, 1.86102f, -1.84203f, 3.807495f}, sgd.state("w").get(0).toFloatArray(), TOL);
        assertArrayEquals(new float[] {0.852151f, -2.284102f, 3.281203f, -0.0812495f}, w.toFloatArray(), TOL);
    }

    @Test
    void sgdNesterovTwoSteps() {
        MaskAwareOptimizer sgd = Optimizers.sgd().lr(0.1).momentum(0.9).nesterov(true).weightDecay(0.01).create(100, 1);
        NDArray w = leaf(W);
        // v = g'; w -= 0.1 (g' + 0.9 v) = w - 0.19 g'
        step(sgd, "w", w, G);
        assertArrayEquals(new float[] {0.9031f, -2.1862f, 3.1843f, 0.11905f}, w.toFloatArray(), TOL);
        // g' = g + 0.01 w1 = [0.509031, 0.978138, -0.968157, 2.0011905]; v = 0.9 v1 + g'
        step(sgd, "w", w, G);
        assertArrayEquals(new float[] {0.968031f, 1.860138f, -1.841157f, 3.8056905f}, sgd.state("w").get(0).toFloatArray(), TOL);
        assertArrayEquals(new float[] {0.76507411f, -2.45142622f, 3.44681983f, -0.423581195f}, w.toFloatArray(), TOL);
    }

    @Test
    void plainSgdHasNoState() {
        MaskAwareOptimizer sgd = Optimizers.sgd().lr(0.5).momentum(0).weightDecay(0.1).create(100, 1);
        NDArray w = leaf(W);
        step(sgd, "w", w, G);
        // w -= 0.5 (g + 0.1 w)
        assertArrayEquals(new float[] {1 - 0.5f * 0.6f, -2 - 0.5f * 0.8f, 3 - 0.5f * -0.7f, 0.5f - 0.5f * 2.05f},
                w.toFloatArray(), TOL);
        assertEquals(List.of(), sgd.state("w"));
    }

    @Test
    void adamWTwoSteps() {
        MaskAwareOptimizer adam = Optimizers.adamW().lr(0.1).betas(0.9, 0.999).epsilon(1e-8).weightDecay(0.01).create(100, 1);
        NDArray w = leaf(1, -2);
        // Step 1: w *= 1 - 0.001; m̂ = g, v̂ = g², so w -= 0.1 sign(g).
        step(adam, "w", w, new float[] {0.5f, -1});
        assertArrayEquals(new float[] {0.899f, -1.898f}, w.toFloatArray(), TOL);
        assertArrayEquals(new float[] {0.05f, -0.1f}, adam.state("w").get(0).toFloatArray(), TOL);
        // β2 is a float, so 1 - β2 carries a relative error of about 1e-5.
        assertArrayEquals(new float[] {0.00025f, 0.001f}, adam.state("w").get(1).toFloatArray(), 5e-8f);
        // Step 2, g = [0.25, 1]: m = [0.07, 0.01], v = [0.00031225, 0.001999]; bias corrections 0.19 and 0.001999;
        // w = 0.999 w1 - 0.1 (m / 0.19) / (sqrt(v / 0.001999) + 1e-8)
        step(adam, "w", w, new float[] {0.25f, 1});
        assertArrayEquals(new float[] {0.07f, 0.01f}, adam.state("w").get(0).toFloatArray(), TOL);
        assertArrayEquals(new float[] {0.00031225f, 0.001999f}, adam.state("w").get(1).toFloatArray(), 5e-8f);
        assertArrayEquals(new float[] {0.80488304f, -1.90136516f}, w.toFloatArray(), 2e-6f);
    }

    @Test
    void updateZeroesTheWeightsOwnGradient() {
        MaskAwareOptimizer sgd = Optimizers.sgd().lr(0.1).momentum(0).create(100, 1);
        NDArray w = leaf(W);
        step(sgd, "w", w, G);
        assertArrayEquals(new float[4], w.getGradient().toFloatArray(), 0f); // -0 counts as zero
        // So the next backward yields exactly the new gradient, not the sum of both.
        backward(w, G);
        assertArrayEquals(G, w.getGradient().toFloatArray());
    }

    @Test
    void learningRateDropsApplyByOptimizerStep() {
        // One step per epoch, drop x0.1 at epoch 2: updates 1 and 2 use 0.1, update 3 uses 0.01.
        MaskAwareOptimizer sgd = Optimizers.sgd().lr(0.1).momentum(0).lrDropAt(2).create(1, 4);
        NDArray w = leaf(0f);
        float[] g = {1};
        step(sgd, "w", w, g);
        assertEquals(-0.1f, w.getFloat(), TOL);
        step(sgd, "w", w, g);
        assertEquals(-0.2f, w.getFloat(), TOL);
        step(sgd, "w", w, g);
        assertEquals(-0.21f, w.getFloat(), TOL);
        // The step is the run's (DJL's update count is the maximum over parameters), so a parameter
        // first updated at step 4 gets step 4's rate, as every parameter of a trained model does.
        NDArray other = leaf(0f);
        step(sgd, "other", other, g);
        assertEquals(-0.01f, other.getFloat(), TOL);
    }

    // ---- with a model: masking and state zeroing ----

    private SparseModel linearModel(float[] values) {
        Linear linear = Linear.builder().setUnits(2).build();
        linear.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        SparseModel model = SparseModel.of(linear);
        NDArray w = model.values(model.weights().get(0));
        w.muli(0).addi(manager.create(values, new Shape(2, 3)));
        return model;
    }

    private static final float[] W6 = {1, 2, 3, 4, 5, 6};
    private static final float[] G6 = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};

    @Test
    void maskedPositionsAreZeroAfterEveryUpdate() {
        SparseModel model = linearModel(W6);
        MaskedWeight weight = model.weights().get(0);
        MaskAwareOptimizer sgd = Optimizers.sgd().lr(0.1).momentum(0.9).create(100, 1);
        sgd.bind(model);
        model.setMask(weight, manager.create(new float[] {1, 0, 1, 0, 1, 0}, new Shape(2, 3)));
        NDArray w = model.values(weight);
        String id = weight.parameter().getId();
        step(sgd, id, w, G6);
        assertArrayEquals(new float[] {0.99f, 0, 2.97f, 0, 4.95f, 0}, w.toFloatArray(), TOL);
        step(sgd, id, w, G6);
        // v = 1.9 g at kept positions: w1 - 0.19 g
        assertArrayEquals(new float[] {0.971f, 0, 2.913f, 0, 4.855f, 0}, w.toFloatArray(), TOL);
        // Gradients are not masked: the momentum at masked positions holds the dense gradients.
        assertArrayEquals(new float[] {0.19f, 0.38f, 0.57f, 0.76f, 0.95f, 1.14f},
                sgd.state(id).get(0).toFloatArray(), TOL);
    }

    @Test
    void newMaskZeroesMomentumAtPrunedAndRegrownPositionsOnly() {
        SparseModel model = linearModel(W6);
        MaskedWeight weight = model.weights().get(0);
        MaskAwareOptimizer sgd = Optimizers.sgd().lr(0.1).momentum(0.9).create(100, 1);
        sgd.bind(model);
        model.setMask(weight, manager.create(new float[] {1, 1, 1, 0, 0, 0}, new Shape(2, 3)));
        String id = weight.parameter().getId();
        step(sgd, id, model.values(weight), G6);
        assertArrayEquals(G6, sgd.state(id).get(0).toFloatArray(), TOL);

        // Keep 0 and 2, prune 1, regrow 3; 4 and 5 stay masked.
        model.setMask(weight, manager.create(new float[] {1, 0, 1, 1, 0, 0}, new Shape(2, 3)));
        assertArrayEquals(new float[] {0.1f, 0, 0.3f, 0, 0, 0}, sgd.state(id).get(0).toFloatArray());
        // The regrown weight starts at 0; the pruned one is 0.
        assertArrayEquals(new float[] {0.99f, 0, 2.97f, 0, 0, 0}, model.values(weight).toFloatArray(), TOL);

        // Dense again: every position that was masked (1, 4, 5) is regrown and its momentum zeroed.
        step(sgd, id, model.values(weight), G6); // v = [0.19, 0.2, 0.57, 0.4, 0.5, 0.6]
        model.setMask(weight, null);
        assertArrayEquals(new float[] {0.19f, 0, 0.57f, 0.4f, 0, 0}, sgd.state(id).get(0).toFloatArray(), TOL);
    }

    @Test
    void adamWStateIsZeroedToo() {
        SparseModel model = linearModel(W6);
        MaskedWeight weight = model.weights().get(0);
        MaskAwareOptimizer adam = Optimizers.adamW().lr(0.01).create(100, 1);
        adam.bind(model);
        String id = weight.parameter().getId();
        step(adam, id, model.values(weight), G6);
        float[] m = adam.state(id).get(0).toFloatArray();
        float[] v = adam.state(id).get(1).toFloatArray();
        model.setMask(weight, manager.create(new float[] {0, 1, 1, 1, 1, 0}, new Shape(2, 3)));
        float[] m2 = adam.state(id).get(0).toFloatArray();
        float[] v2 = adam.state(id).get(1).toFloatArray();
        for (int i = 0; i < 6; i++) {
            boolean kept = i != 0 && i != 5;
            assertEquals(kept ? m[i] : 0f, m2[i], "m at " + i);
            assertEquals(kept ? v[i] : 0f, v2[i], "v at " + i);
            assertTrue(m[i] != 0f && v[i] != 0f);
        }
    }

    @Test
    void unboundOrClosedOptimizerNoLongerListens() {
        SparseModel model = linearModel(W6);
        MaskedWeight weight = model.weights().get(0);
        MaskAwareOptimizer sgd = Optimizers.sgd().lr(0.1).momentum(0.9).create(100, 1);
        sgd.bind(model);
        String id = weight.parameter().getId();
        step(sgd, id, model.values(weight), G6);
        NDArray velocity = sgd.state(id).get(0);
        // Rebinding to the same model must not register twice (a double zeroing would not show; a missing one would).
        sgd.bind(model);
        model.setMask(weight, manager.create(new float[] {1, 1, 1, 1, 1, 0}, new Shape(2, 3)));
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0}, velocity.toFloatArray(), TOL);
        sgd.close();
        assertEquals(List.of(), sgd.state(id));
        model.setMask(weight, null); // no listener left: must not touch the closed state
    }
}
