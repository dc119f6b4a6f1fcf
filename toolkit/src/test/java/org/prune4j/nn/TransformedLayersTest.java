package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prune4j.ManagedTest;
import org.prune4j.model.SparseModel;

class TransformedLayersTest extends ManagedTest {

    @BeforeEach
    void seed() {
        Engine.getInstance().setRandomSeed(7);
    }

    @ParameterizedTest
    @CsvSource({"lenet300, 1, 3", "lenet5, 1, 4", "resnet20, 3, 22"})
    void anIdentityTransformLeavesTheForwardPassIdentical(String name, int channels, int layers) {
        Shape input = channels == 1 ? new Shape(2, 1, 28, 28) : new Shape(2, 3, 32, 32);
        Block block = Models.byName(name, 10);
        block.initialize(manager, DataType.FLOAT32, input);
        SparseModel model = SparseModel.of(block);
        // A hard mask as a hard-mask method leaves it: weights zeroed.
        model.setMask(model.weights().get(0), model.values(model.weights().get(0)).gt(0).toType(DataType.FLOAT32, false));
        NDArray x = manager.randomNormal(input);
        float[] before = block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
        int[] calls = new int[1];
        assertEquals(layers, TransformedLayers.wrap(block, model, (layer, w, training) -> {
            calls[0]++;
            return w;
        }));
        float[] after = block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
        assertArrayEquals(before, after);
        assertEquals(layers, calls[0]);
        // FLOPs accounting still finds every layer under the name the SparseModel gave it (PDP runs used to report
        // density 1 for names like 02Linear_01layer).
        assertEquals(model.names(), org.prune4j.flops.Flops.layers(block).stream()
                .map(org.prune4j.flops.LayerFlops::layer).toList());
        // Wrapping again finds nothing new; the maskable weights are still the same parameters.
        assertEquals(0, TransformedLayers.wrap(block, model, (layer, w, training) -> w));
        assertEquals(model.names(), SparseModel.of(block).weights().stream().map(w -> model.weightOfParameter(w.parameter().getId()).name()).toList());
    }

    @org.junit.jupiter.api.Test
    void aBareLayerCannotBeWrapped() {
        Block linear = Linear.builder().setUnits(3).build();
        linear.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
        SparseModel model = SparseModel.of(linear);
        assertThrows(IllegalArgumentException.class, () -> TransformedLayers.wrap(linear, model, (l, w, t) -> w));
    }
}
