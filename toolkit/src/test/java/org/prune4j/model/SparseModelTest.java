package org.prune4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import org.junit.jupiter.api.Test;
import org.prune4j.ManagedTest;
import org.prune4j.density.LayerShape;
import org.prune4j.nn.Models;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

class SparseModelTest extends ManagedTest {

    private Block lenet300() {
        Block block = Models.lenet300(10);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        return block;
    }

    /** LeNet-300-100 with every maskable weight set to 1, so nonzeros equal mask ones. */
    private SparseModel onesModel() {
        SparseModel model = SparseModel.of(lenet300());
        for (MaskedWeight w : model.weights()) {
            model.values(w).muli(0).addi(1);
        }
        return model;
    }

    /** A mask of the weight's shape whose first {@code ones} entries (row-major) are 1. */
    private NDArray prefixMask(MaskedWeight w, int ones) {
        float[] values = new float[Math.toIntExact(w.size())];
        for (int i = 0; i < ones; i++) {
            values[i] = 1f;
        }
        return manager.create(values, w.shape());
    }

    @Test
    void findsTheThreeLinearWeightsOfLenet300() {
        Block block = lenet300();
        SparseModel model = SparseModel.of(block);
        assertEquals(List.of("fc1", "fc2", "fc3"), model.names());
        List<MaskedWeight> weights = model.weights();
        assertEquals(List.of(new Shape(300, 784), new Shape(100, 300), new Shape(10, 100)),
                weights.stream().map(MaskedWeight::shape).toList());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, weights.get(i).index());
            assertEquals("weight", weightKey(block, weights.get(i).parameter()));
            assertSame(weights.get(i).parameter().getArray(), model.values(weights.get(i)));
            assertNull(model.mask(weights.get(i)));
        }
        assertEquals("300x784", weights.get(0).shapeText());
        assertEquals(235_200, weights.get(0).size());
        assertEquals(266_200, model.totalWeights());
        assertEquals(List.of(LayerShape.of("fc1", 300, 784), LayerShape.of("fc2", 100, 300),
                LayerShape.of("fc3", 10, 100)), model.shapes());
        assertSame(weights.get(1), model.weight("fc2"));
        assertSame(weights.get(2), model.weightOfParameter(weights.get(2).parameter().getId()));
    }

    /** The key under which a parameter sits in its block, e.g. "weight" or "bias". */
    private static String weightKey(Block root, Parameter parameter) {
        for (Pair<String, Parameter> p : root.getParameters()) {
            if (p.getValue() == parameter) {
                String key = p.getKey();
                return key.substring(key.lastIndexOf('_') + 1);
            }
        }
        return null;
    }

    @Test
    void biasesAreNotMaskable() {
        Block block = lenet300();
        SparseModel model = SparseModel.of(block);
        int biases = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith("bias")) {
                biases++;
                assertNull(model.weightOfParameter(p.getValue().getId()), p.getKey());
            }
        }
        assertEquals(3, biases);
    }

    @Test
    void findsTheFourWeightsOfLenet5() {
        Block block = Models.lenet5(10);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        SparseModel model = SparseModel.of(block);
        assertEquals(List.of(new Shape(20, 1, 5, 5), new Shape(50, 20, 5, 5), new Shape(500, 800), new Shape(10, 500)),
                model.weights().stream().map(MaskedWeight::shape).toList());
        // 500 + 25,000 + 400,000 + 5,000
        assertEquals(430_500, model.totalWeights());
        assertEquals(List.of("conv1", "conv2", "fc1", "fc2"), model.names());
    }

    @Test
    void findsTheTwentyTwoWeightsOfResnet20AndNoBatchNormOrBias() {
        Block block = Models.resnet20(10);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        SparseModel model = SparseModel.of(block);
        List<MaskedWeight> weights = model.weights();
        // 19 3x3 convolutions, 2 projection shortcuts (1x1), 1 classifier.
        assertEquals(22, weights.size());
        assertEquals(22, new HashSet<>(model.names()).size());
        long threeByThree = weights.stream().filter(w -> w.shape().dimension() == 4 && w.shape().get(2) == 3).count();
        long oneByOne = weights.stream().filter(w -> w.shape().dimension() == 4 && w.shape().get(2) == 1).count();
        assertEquals(19, threeByThree);
        assertEquals(2, oneByOne);
        assertEquals(new Shape(16, 3, 3, 3), weights.get(0).shape());
        assertEquals(new Shape(10, 64), weights.get(21).shape());
        assertEquals("conv1", weights.get(0).name());
        assertEquals("conv21", weights.get(20).name());
        assertEquals("fc1", weights.get(21).name());
        for (MaskedWeight w : weights) {
            assertEquals("weight", weightKey(block, w.parameter()), w.name());
            assertTrue(!w.name().toLowerCase().contains("batchnorm"), w.name());
        }
        // conv1 432 + stage 1 6*2,304 + stage 2 (4,608 + 5*9,216 + 512) + stage 3 (18,432 + 5*36,864 + 2,048) + fc 640
        assertEquals(270_896, model.totalWeights());
    }

    @Test
    void includeAndExcludePatterns() {
        Block block = lenet300();
        assertEquals(List.of("fc2"), SparseModel.builder(block).include("04").build().names());
        assertEquals(List.of("fc1", "fc2"), SparseModel.builder(block).exclude("06Linear$").build().names());
        assertEquals(List.of("fc1", "fc3"),
                SparseModel.builder(block).include("02").include("06").build().names());
        SparseModel both = SparseModel.builder(block).include("Linear").exclude("^02").build();
        assertEquals(List.of("fc2", "fc3"), both.names());
        // Indices count the selected weights only.
        assertEquals(0, both.weight("fc2").index());
        assertEquals(1, both.weight("fc3").index());
        // Readable names select too, and an excluded layer does not renumber the others.
        assertEquals(List.of("fc2", "fc3"), SparseModel.builder(block).exclude("^fc1$").build().names());
        // DJL's path still finds a weight, for code written before the readable names.
        assertEquals("fc2", both.weight("04Linear").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparseModel.builder(block).include("Conv").build());
        assertTrue(e.getMessage().contains("no maskable"), e.getMessage());
    }

    @Test
    void aBareLinearIsItsOwnLayer() {
        ai.djl.nn.core.Linear linear = ai.djl.nn.core.Linear.builder().setUnits(4).build();
        linear.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        SparseModel model = SparseModel.of(linear);
        assertEquals(List.of("fc1"), model.names());
        assertEquals("Linear", model.weights().get(0).path());
        assertEquals(new Shape(4, 3), model.weights().get(0).shape());
        assertEquals(12, model.totalWeights());
    }

    @Test
    void uninitialisedBlockIsRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SparseModel.of(Models.lenet300(10)));
        assertTrue(e.getMessage().contains("initialise"), e.getMessage());
    }

    @Test
    void unknownLayerListsTheKnownOnes() {
        SparseModel model = SparseModel.of(lenet300());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.weight("fc9"));
        assertEquals("unknown layer 'fc9': expected one of [fc1, fc2, fc3]", e.getMessage());
    }

    @Test
    void setMaskZeroesTheWeightAtOnce() {
        SparseModel model = onesModel();
        MaskedWeight fc1 = model.weight("fc1");
        assertEquals(235_200, model.nonzeros(fc1));
        model.setMask(fc1, prefixMask(fc1, 1234));
        assertEquals(1234, model.nonzeros(fc1));
        float[] values = model.values(fc1).toFloatArray();
        assertEquals(1f, values[1233]);
        assertEquals(0f, values[1234]);
        assertEquals(30_000, model.nonzeros(model.weight("fc2")));
    }

    @Test
    void applyMasksZeroesWhatTrainingMoved() {
        SparseModel model = onesModel();
        MaskedWeight fc2 = model.weight("fc2");
        model.setMask(fc2, prefixMask(fc2, 100));
        model.values(fc2).addi(0.5f); // as an optimizer step would
        assertEquals(30_000, model.nonzeros(fc2));
        model.applyMasks();
        assertEquals(100, model.nonzeros(fc2));
        assertEquals(1.5f, model.values(fc2).toFloatArray()[99]);
    }

    @Test
    void wrongShapeMaskIsRejectedWithLayerAndShapes() {
        SparseModel model = onesModel();
        MaskedWeight fc2 = model.weight("fc2");
        NDArray wrong = manager.ones(new Shape(300, 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.setMask(fc2, wrong));
        assertEquals("mask shape (300, 100) does not match layer 'fc2' of shape (100, 300)", e.getMessage());
        assertNull(model.mask(fc2));
        assertEquals(30_000, model.nonzeros(fc2));
    }

    @Test
    void sparsityAndMaskDensityAreExact() {
        SparseModel model = onesModel();
        assertEquals(0.0, model.sparsity());
        assertEquals(1.0, model.maskDensity());
        MaskedWeight fc1 = model.weight("fc1");
        MaskedWeight fc3 = model.weight("fc3");
        model.setMask(fc1, prefixMask(fc1, 23_520));
        model.setMask(fc3, prefixMask(fc3, 7));
        long kept = 23_520 + 30_000 + 7;
        assertEquals(1.0 - (double) kept / 266_200, model.sparsity());
        assertEquals((double) kept / 266_200, model.maskDensity());
        // A zero weight in a dense layer counts for sparsity but not for the mask density.
        MaskedWeight fc2 = model.weight("fc2");
        model.values(fc2).set(new ai.djl.ndarray.index.NDIndex("0, :"), 0f);
        assertEquals(1.0 - (double) (kept - 300) / 266_200, model.sparsity());
        assertEquals((double) kept / 266_200, model.maskDensity());
        // Back to dense: the mask goes, the zeroed weights stay zero until trained.
        model.setMask(fc1, null);
        assertNull(model.mask(fc1));
        assertEquals((double) (235_200 + 30_000 + 7) / 266_200, model.maskDensity());
        assertEquals(23_520, model.nonzeros(fc1));
    }

    @Test
    void boolMaskBecomesFloatAndIsOwnedByTheModel() {
        SparseModel model = onesModel();
        MaskedWeight fc3 = model.weight("fc3");
        NDManager scope = manager.newSubManager();
        NDArray mask = scope.create(new float[] {1, 0}).gt(0.5f).repeat(500).reshape(10, 100);
        assertEquals(DataType.BOOLEAN, mask.getDataType());
        model.setMask(fc3, mask);
        scope.close(); // the caller's per-step scope ends; the model's mask must survive it
        NDArray owned = model.mask(fc3);
        assertEquals(DataType.FLOAT32, owned.getDataType());
        assertEquals(500f, owned.sum().getFloat());
        assertEquals(500, model.nonzeros(fc3));
        model.values(fc3).addi(1);
        model.applyMasks();
        assertEquals(500, model.nonzeros(fc3));
    }

    @Test
    void listenersSeeOldAndNewMasks() {
        SparseModel model = onesModel();
        MaskedWeight fc3 = model.weight("fc3");
        List<Object[]> calls = new ArrayList<>();
        MaskListener listener = (weight, oldMask, newMask) -> {
            // The weight is already masked and the old mask is still readable when listeners run.
            calls.add(new Object[] {weight, oldMask == null ? null : oldMask.sum().getFloat(),
                newMask == null ? null : newMask.sum().getFloat(), model.nonzeros(weight)});
        };
        model.addListener(listener);
        NDArray first = prefixMask(fc3, 600);
        model.setMask(fc3, first);
        NDArray firstOwned = model.mask(fc3);
        assertSame(first, firstOwned); // float32 masks are taken over, not copied
        model.setMask(fc3, prefixMask(fc3, 200));
        model.setMask(fc3, null);
        model.removeListener(listener);
        model.setMask(fc3, prefixMask(fc3, 10));

        assertEquals(3, calls.size());
        assertSame(fc3, calls.get(0)[0]);
        assertNull(calls.get(0)[1]);
        assertEquals(600f, calls.get(0)[2]);
        assertEquals(600L, calls.get(0)[3]);
        assertEquals(600f, calls.get(1)[1]);
        assertEquals(200f, calls.get(1)[2]);
        assertEquals(200L, calls.get(1)[3]);
        assertEquals(200f, calls.get(2)[1]);
        assertNull(calls.get(2)[2]);
        assertNotNull(model.mask(fc3));
        assertArrayEquals(new float[] {1, 1}, model.mask(fc3).get("0, 8:10").toFloatArray());
    }
}
