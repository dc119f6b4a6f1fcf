package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.prune4j.ManagedTest;
import org.prune4j.flops.Flops;
import org.prune4j.flops.LayerFlops;
import org.prune4j.gap.Partitioning;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

class BertClassifierTest extends ManagedTest {

    private static final int LENGTH = 16;
    private static final Shape INPUT = new Shape(2, 1, 1, LENGTH);

    @BeforeEach
    void seed() {
        Engine.getInstance().setRandomSeed(11);
    }

    private Block bertTiny() {
        Block block = Models.bertTiny(2);
        block.initialize(manager, DataType.FLOAT32, INPUT);
        return block;
    }

    /** Two reviews of token ids, the second padded after 5 tokens. */
    private NDArray reviews() {
        float[] ids = new float[2 * LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            ids[i] = 2 + 37 * i;
            ids[LENGTH + i] = i < 5 ? 100 + i : 0;
        }
        return manager.create(ids, INPUT);
    }

    private float[] logits(Block block, NDArray x, TransformingParameterStore store) {
        return block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
    }

    @Test
    void everyProjectionAndFeedForwardLayerIsMaskableWithExactCounts() {
        Block block = bertTiny();
        SparseModel model = SparseModel.of(block);
        List<String> expected = new ArrayList<>(List.of("embedding"));
        for (int layer = 1; layer <= 2; layer++) {
            for (String role : List.of("key", "query", "value", "out", "ff1", "ff2")) {
                expected.add("enc" + layer + "." + role);
            }
        }
        expected.add("classifier");
        assertEquals(expected, model.names());
        List<Shape> shapes = model.weights().stream().map(MaskedWeight::shape).toList();
        // The token embedding: one row of 128 per vocabulary entry (the position embedding is no layer: it stays dense).
        assertEquals(new Shape(20_000, 128), shapes.get(0));
        for (int layer = 0; layer < 2; layer++) {
            for (int p = 0; p < 4; p++) {
                assertEquals(new Shape(128, 128), shapes.get(1 + 6 * layer + p));
            }
            assertEquals(new Shape(512, 128), shapes.get(1 + 6 * layer + 4));
            assertEquals(new Shape(128, 512), shapes.get(1 + 6 * layer + 5));
        }
        assertEquals(new Shape(2, 128), shapes.get(13));
        // 20000*128 + 2 x (4 x 128*128 + 2 x 128*512) + 2*128
        assertEquals(2_560_000 + 393_472, model.totalWeights());
        // Embeddings 20000x128 and 16x128 positions; per layer 4 x (16384+128) + 65536+512 + 65536+128 + 2 LNs of
        // 256; the embedding LN 256; classifier 258.
        long parameters = block.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
        assertEquals(2_560_000 + 2_048 + 256 + 2 * (4 * 16_512 + 66_048 + 65_664 + 512) + 258, parameters);
    }

    @Test
    void theClassifierStaysDenseByDefaultAndEncoderLayersFormTheGapPartitions() {
        Block block = bertTiny();
        SparseModel model = SparseModel.builder(block).exclude("^(embedding|classifier)$")
                .build();
        assertEquals(12, model.weights().size());
        assertFalse(model.names().contains("classifier"));
        long[] sizes = model.weights().stream().mapToLong(w -> w.shape().size()).toArray();
        List<List<Integer>> partitions = Partitioning.contiguous().split(model.names(), sizes, 2, new java.util.Random(1),
                List.of());
        // Each encoder layer is one partition, every maskable layer in exactly one.
        assertEquals(List.of(List.of(0, 1, 2, 3, 4, 5), List.of(6, 7, 8, 9, 10, 11)), partitions);
        for (int p = 0; p < 2; p++) {
            for (int i : partitions.get(p)) {
                assertEquals("enc" + (p + 1), model.names().get(i).substring(0, 4));
            }
        }
    }

    @Test
    void paddingIsInvisibleToTheModel() {
        Block block = bertTiny();
        NDArray x = reviews();
        float[] before = logits(block, x, new TransformingParameterStore(manager, null, null));
        // Rewrite the padding id's embedding: neither attention nor pooling may read it.
        Parameter embedding = block.getParameters().values().stream().filter(p -> p.getName().equals("embedding"))
                .findFirst().orElseThrow();
        embedding.getArray().set(new ai.djl.ndarray.index.NDIndex("0"), 5f);
        float[] after = logits(block, x, new TransformingParameterStore(manager, null, null));
        assertArrayEquals(before, after, 0f);
        // A review's own token does change its output: the test can fail.
        embedding.getArray().set(new ai.djl.ndarray.index.NDIndex("100"), 5f);
        assertFalse(Arrays.equals(after, logits(block, x, new TransformingParameterStore(manager, null, null))));
    }

    @Test
    void aWeightTransformReachesTheAttentionProjections() {
        Block block = bertTiny();
        SparseModel model = SparseModel.of(block);
        NDArray x = reviews();
        List<String> seen = new ArrayList<>();
        float[] identity = logits(block, x, new TransformingParameterStore(manager, model, (layer, w, training) -> {
            seen.add(layer.name());
            return w;
        }));
        assertEquals(model.names().size(), seen.size());
        assertEquals(model.names().stream().sorted().toList(), seen.stream().sorted().toList());
        assertArrayEquals(logits(block, x, new TransformingParameterStore(manager, null, null)), identity, 0f);
        // Zeroing only enc1.query inside the forward pass changes the logits: DJL's attention computes with it.
        float[] zeroed = logits(block, x, new TransformingParameterStore(manager, model,
                (layer, w, training) -> layer.name().equals("enc1.query") ? w.zerosLike() : w));
        assertFalse(Arrays.equals(identity, zeroed));
    }

    @Test
    void flopsCountEachProjectionOncePerToken() {
        List<LayerFlops> layers = Flops.layers(bertTiny());
        // Every maskable layer but the embedding, whose lookup multiplies nothing: its FLOPs are zero, not counted.
        assertEquals(SparseModel.of(bertTiny()).names().stream().filter(name -> !name.equals("embedding")).toList(),
                layers.stream().map(LayerFlops::layer).toList());
        for (LayerFlops layer : layers) {
            long positions = layer.layer().equals("classifier") ? 1 : LENGTH;
            assertEquals(positions, layer.positions(), layer.layer());
            assertEquals(2 * layer.weights() * positions, layer.denseFlops(), layer.layer());
        }
    }
}
