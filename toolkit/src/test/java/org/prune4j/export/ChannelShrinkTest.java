package org.prune4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.export.ChannelShrink.DenseLinear;
import org.prune4j.mask.Pattern;
import org.prune4j.method.Gmp;
import org.prune4j.train.Progress;
import org.prune4j.train.SparseTraining;

class ChannelShrinkTest {

    @TempDir
    Path dir;

    /** The host forward of plain layers: y = act(W x + b), layer by layer. */
    private static float[] forward(List<DenseLinear> layers, float[] x) {
        for (DenseLinear layer : layers) {
            float[] y = new float[layer.out()];
            for (int r = 0; r < layer.out(); r++) {
                float sum = layer.bias()[r];
                for (int c = 0; c < layer.in(); c++) {
                    sum += layer.weight()[r * layer.in() + c] * x[c];
                }
                y[r] = layer.reluAfter() ? Math.max(0f, sum) : sum;
            }
            x = y;
        }
        return x;
    }

    /**
     * 2 inputs, 3 hidden (ReLU), 2 outputs. Hidden 0 is pruned (zero row) with bias 2: a constant
     * relu(2) = 2 that reaches the outputs through weights 3 and -1, so their biases become 0.5 + 6 = 6.5
     * and 0 - 2 = -2. Hidden 2 has weights but nothing reads it (zero column). Only hidden 1 stays.
     */
    @Test
    void aPrunedNeuronsConstantFoldsIntoTheNextBiasAndAnUnreadNeuronGoes() {
        DenseLinear hidden = new DenseLinear(3, 2, new float[] {0, 0, 1, -2, 4, 5}, new float[] {2, 0.25f, 1}, true);
        DenseLinear output = new DenseLinear(2, 3, new float[] {3, 1, 0, -1, 2, 0}, new float[] {0.5f, 0}, false);
        List<DenseLinear> shrunk = ChannelShrink.shrink(List.of(hidden, output));
        assertEquals(1, shrunk.get(0).out());
        assertArrayEquals(new float[] {1, -2}, shrunk.get(0).weight());
        assertArrayEquals(new float[] {0.25f}, shrunk.get(0).bias());
        assertArrayEquals(new float[] {1, 2}, shrunk.get(1).weight());
        assertArrayEquals(new float[] {6.5f, -2}, shrunk.get(1).bias());
        for (float[] x : new float[][] {{0, 0}, {1, 2}, {-3, 0.5f}, {4, -1}}) {
            assertArrayEquals(forward(List.of(hidden, output), x), forward(shrunk, x), 1e-6f);
        }
    }

    /** Without a ReLU the folded constant is the bias itself, negative ones included. */
    @Test
    void withoutAReluTheConstantIsTheBias() {
        DenseLinear hidden = new DenseLinear(2, 1, new float[] {0, 1}, new float[] {-3, 0}, false);
        DenseLinear output = new DenseLinear(1, 2, new float[] {2, 1}, new float[] {1}, false);
        List<DenseLinear> shrunk = ChannelShrink.shrink(List.of(hidden, output));
        assertArrayEquals(new float[] {1 + 2 * -3f}, shrunk.get(1).bias());
        assertEquals(1, shrunk.get(0).out());
    }

    @Test
    void layersThatDoNotChainAreRejected() {
        DenseLinear a = new DenseLinear(3, 2, new float[6], new float[3], true);
        DenseLinear b = new DenseLinear(1, 4, new float[4], new float[1], false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChannelShrink.shrink(List.of(a, b)));
        assertEquals("layer 2 reads 4 features but layer 1 gives 3", e.getMessage());
    }

    @Test
    void aConvolutionalModelIsNamedInTheError() {
        try (Model model = TestModels.pruned("lenet5", 0.5, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ChannelShrink.layers(model.getBlock()));
            assertTrue(e.getMessage().startsWith("shrinking handles fully connected models (flatten, Linear, ReLU);"
                    + " this one has"), e.getMessage());
        }
    }

    /**
     * LeNet-300-100 trained on MNIST with layer-wise GMP at 75% channel sparsity, shrunk, saved and loaded back
     * by DJL as a plain block: every one of the 10,000 test images gets the same class as from the masked model.
     * The classifier stays dense (its channels are the classes), so the 75% budget over the whole model leaves
     * fc1 74 of 300 neurons (58,016 of 235,200 weights, as the run's layer table counts) and fc2 25 of 100.
     */
    @Test
    @Tag("slow")
    void aChannelPrunedLeNetShrinksTo75And25NeuronsWithTheSamePredictions() throws Exception {
        DataSplit data = Datasets.mnist().subset(6_000, 10_000);
        Path run = dir.resolve("run");
        SparseTraining.of("lenet300", data)
                .method(Gmp.layerwise().sparsity(0.75).pattern(Pattern.channel()).every(10).build())
                .epochs(2).seed(1).progress(Progress.silent()).saveModelTo(run).fit();
        try (Model masked = ModelFiles.load(run); NDManager manager = NDManager.newBaseManager()) {
            long[] shape = ModelFiles.header(run).inputShape();
            ShrunkMlp shrunk = new ShrunkMlp(shape, ChannelShrink.shrink(ChannelShrink.layers(masked.getBlock())));
            assertArrayEquals(new int[] {784, 74, 25, 10}, shrunk.widths());
            assertEquals(784 * 74 + 74 + 74 * 25 + 25 + 25 * 10 + 10, shrunk.parameters());
            shrunk.save(dir.resolve("shrunk"));
            assertTrue(Files.size(dir.resolve("shrunk").resolve(ShrunkMlp.PARAMS))
                    < Files.size(run.resolve(ModelFiles.PARAMS)) / 3);
            Block loaded = ShrunkMlp.load(dir.resolve("shrunk"), manager);

            float[] pixels = data.test().pixels().clone();
            int n = data.test().size();
            float[] a = logits(masked.getBlock(), masked.getNDManager(), pixels, n);
            float[] b = logits(loaded, manager, pixels, n);
            int same = 0;
            float worst = 0;
            for (int i = 0; i < n; i++) {
                same += argmax(a, i) == argmax(b, i) ? 1 : 0;
                for (int c = 0; c < 10; c++) {
                    worst = Math.max(worst, Math.abs(a[i * 10 + c] - b[i * 10 + c]));
                }
            }
            assertEquals(10_000, same, "identical predictions on the 10,000 test images");
            assertTrue(worst < 1e-4f, "largest logit difference " + worst);
        }
    }

    private static float[] logits(Block block, NDManager manager, float[] pixels, int n) {
        try (NDManager scope = manager.newSubManager()) {
            var x = scope.create(pixels, new ai.djl.ndarray.types.Shape(n, 1, 28, 28));
            return block.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    private static int argmax(float[] logits, int row) {
        int best = 0;
        for (int c = 1; c < 10; c++) {
            if (logits[row * 10 + c] > logits[row * 10 + best]) {
                best = c;
            }
        }
        return best;
    }
}
