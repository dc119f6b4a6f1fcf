package org.prune4j.export;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import org.prune4j.bench.ExportBenchmark;
import org.prune4j.nn.Models;

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
        ExportBenchmark.prune(block, sparsity);
        return model;
    }
}
