package org.prune4j.method;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;

import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.util.Random;

/** Small models with weights and gradients the tests choose, for exact host-side expectations. */
final class TinyModels {

    private TinyModels() {}

    /** Linear 12 -> 10 -> 6: weights of 10x12 and 6x10. */
    static SparseModel twoLayers(NDManager manager) {
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(10).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(6).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 12));
        return SparseModel.of(block);
    }

    /** Distinct random values (no ties) for every weight, written in place; returns them. */
    static float[][] randomizeWeights(SparseModel model, long seed) {
        Random random = new Random(seed);
        float[][] values = new float[model.weights().size()][];
        for (MaskedWeight w : model.weights()) {
            float[] v = new float[Math.toIntExact(w.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (random.nextFloat() - 0.5f) * (1 + i * 1e-3f);
            }
            NDArray array = model.values(w);
            try (NDArray fresh = array.getManager().create(v, w.shape())) {
                array.muli(0).addi(fresh);
            }
            values[w.index()] = v;
        }
        return values;
    }

    /** Makes every weight's gradient exactly the given values (backward of sum(w * g)). */
    static void setGradients(SparseModel model, float[][] gradients) {
        NDManager manager = model.values(model.weights().get(0)).getManager();
        for (MaskedWeight w : model.weights()) {
            NDArray array = model.values(w);
            if (!array.hasGradient()) {
                array.setRequiresGradient(true);
            }
            try (NDArray g = array.getGradient()) {
                g.muli(0);
            }
        }
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (MaskedWeight w : model.weights()) {
                NDArray term = model.values(w).mul(scope.create(gradients[w.index()], w.shape())).sum();
                loss = loss == null ? term : loss.add(term);
            }
            collector.backward(loss);
        }
    }

    /** Random gradients with distinct magnitudes. */
    static float[][] randomGradients(SparseModel model, long seed) {
        Random random = new Random(seed);
        float[][] out = new float[model.weights().size()][];
        for (MaskedWeight w : model.weights()) {
            out[w.index()] = new float[Math.toIntExact(w.size())];
            for (int i = 0; i < out[w.index()].length; i++) {
                out[w.index()][i] = (float) random.nextGaussian();
            }
        }
        return out;
    }

    /** A host copy of a weight's mask (all ones when dense). */
    static float[] mask(SparseModel model, MaskedWeight w) {
        NDArray mask = model.mask(w);
        if (mask == null) {
            float[] ones = new float[Math.toIntExact(w.size())];
            java.util.Arrays.fill(ones, 1f);
            return ones;
        }
        return mask.toFloatArray();
    }

    /** Ones in a host mask. */
    static long count(float[] mask) {
        long n = 0;
        for (float m : mask) {
            if (m != 0) {
                n++;
            }
        }
        return n;
    }

    /** Kept weights over all layers, counted on the masks. */
    static long kept(SparseModel model) {
        long n = 0;
        for (MaskedWeight w : model.weights()) {
            n += count(mask(model, w));
        }
        return n;
    }

    /** What an optimizer step does: moves every weight a little, then re-applies the masks. */
    static void fakeStep(SparseModel model, Random random) {
        for (MaskedWeight w : model.weights()) {
            float[] noise = new float[Math.toIntExact(w.size())];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) random.nextGaussian() * 0.01f;
            }
            NDArray array = model.values(w);
            try (NDArray n = array.getManager().create(noise, w.shape())) {
                array.addi(n);
            }
        }
        model.applyMasks();
    }
}
