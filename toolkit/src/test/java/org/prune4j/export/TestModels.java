package org.prune4j.export;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import org.prune4j.nn.Models;

import java.util.Arrays;

/** Initialised zoo models with magnitude-pruned weights, for export and inference tests. */
public final class TestModels {

    private TestModels() {}

    /** A zoo model initialised on [1, 1, 28, 28] with every rank >= 2 weight pruned to {@code sparsity}. */
    public static Model pruned(String name, double sparsity, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Model model = Model.newInstance(name);
        Block block = Models.byName(name, 10);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
        prune(block, sparsity);
        return model;
    }

    /** Zeroes the smallest-magnitude {@code sparsity} fraction of every weight of rank >= 2, on the host. */
    public static void prune(Block block, double sparsity) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            NDArray array = pair.getValue().getArray();
            if (array.getShape().dimension() < 2) {
                continue;
            }
            float[] values = array.toFloatArray();
            float[] magnitudes = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                magnitudes[i] = Math.abs(values[i]);
            }
            Arrays.sort(magnitudes);
            int drop = (int) Math.round(sparsity * values.length);
            float threshold = drop == 0 ? -1f : magnitudes[drop - 1];
            int dropped = 0;
            for (int i = 0; i < values.length; i++) {
                if (Math.abs(values[i]) <= threshold && dropped < drop) {
                    // +0.0, as SparseModel.applyMask leaves (CompressedModelTest checks -0.0 on its own).
                    values[i] = 0.0f;
                    dropped++;
                }
            }
            array.set(values);
        }
    }
}
