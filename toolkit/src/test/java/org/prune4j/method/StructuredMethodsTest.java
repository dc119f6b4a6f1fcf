package org.prune4j.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.prune4j.ManagedTest;
import org.prune4j.mask.Pattern;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.nn.Models;

/** GMP and static masks under N:M, channel and block patterns. */
class StructuredMethodsTest extends ManagedTest {

    @BeforeEach
    void seed() {
        Engine.getInstance().setRandomSeed(5);
    }

    private SparseModel lenet300() {
        Block block = Models.lenet300(10);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        return SparseModel.of(block);
    }

    private static void noisyStep(SparseModel model) {
        for (MaskedWeight w : model.weights()) {
            try (NDArray noise = model.values(w).getManager().randomNormal(0, 0.01f, w.shape(), DataType.FLOAT32)) {
                model.values(w).addi(noise);
            }
        }
        model.applyMasks();
    }

    private static void assertNofM(SparseModel model, int n, int m) {
        for (MaskedWeight w : model.weights()) {
            NDArray mask = model.mask(w);
            if (mask == null) {
                continue;
            }
            float[] groups = mask.reshape(-1, m).sum(new int[] {1}).toFloatArray();
            for (int g = 0; g < groups.length; g++) {
                assertEquals((float) n, groups[g], w.name() + " group " + g);
            }
            float[] nonzeroPerGroup = model.values(w).reshape(-1, m).neq(0).sum(new int[] {1}).toType(DataType.FLOAT32, false).toFloatArray();
            for (float g : nonzeroPerGroup) {
                assertTrue(g <= n, w.name() + " nonzeros in a group " + g);
            }
        }
    }

    @Test
    void gmpTwoFourKeepsExactlyTwoInEveryGroupAfterEveryUpdate() {
        SparseModel model = lenet300();
        Gmp gmp = Gmp.builder().sparsity(0.5).pattern(Pattern.nOfM(2, 4)).every(5).build();
        FakeContext context = new FakeContext(model, 10, 4, 1);
        gmp.onStart(context);
        int updates = 0;
        for (long step = 1; step <= 30; step++) {
            noisyStep(model);
            context.step = step;
            gmp.afterStep(context);
            if (step % 5 == 0 && model.mask(model.weights().get(0)) != null) {
                assertNofM(model, 2, 4);
                updates++;
            }
        }
        assertTrue(updates >= 4, updates + " checked updates");
        assertEquals(0.5, model.maskDensity(), 1e-12);
    }

    @Test
    void staticTwoFourAndOneFour() {
        SparseModel model = lenet300();
        StaticMask.builder().sparsity(0.5).pattern(Pattern.nOfM(2, 4)).build().onStart(new FakeContext(model, 10, 2, 1));
        assertNofM(model, 2, 4);
        SparseModel other = lenet300();
        StaticMask.builder().sparsity(0.75).pattern(Pattern.nOfM(1, 4)).build().onStart(new FakeContext(other, 10, 2, 1));
        assertNofM(other, 1, 4);
    }

    @Test
    void channelMasksZeroWholeChannels() {
        SparseModel model = lenet300();
        // Layer-wise, so that each layer's channel count below is the uniform budget's.
        Gmp gmp = Gmp.layerwise().sparsity(0.75).pattern(Pattern.channel()).every(5).build();
        FakeContext context = new FakeContext(model, 10, 4, 1);
        gmp.onStart(context);
        for (long step = 1; step <= 30; step++) {
            noisyStep(model);
            context.step = step;
            gmp.afterStep(context);
        }
        long[] keep = new LayerAllocation(Budget.UNIFORM, Pattern.channel(), false, false).keepCounts(model, 0.25);
        MaskedWeight classifier = model.weights().get(model.weights().size() - 1);
        assertEquals(null, model.mask(classifier), "the classifier's output channels are the classes: never pruned");
        assertEquals(classifier.size(), keep[classifier.index()]);
        for (MaskedWeight w : model.weights().subList(0, model.weights().size() - 1)) {
            long channels = w.shape().get(0);
            long fanIn = w.size() / channels;
            float[] rows = model.mask(w).reshape(channels, fanIn).sum(new int[] {1}).toFloatArray();
            int kept = 0;
            for (float r : rows) {
                assertTrue(r == 0 || r == fanIn, w.name() + " channel sum " + r);
                kept += r == fanIn ? 1 : 0;
            }
            assertEquals(Math.round((double) keep[w.index()] / fanIn), kept, w.name());
            assertTrue(kept <= 0.25 * channels, w.name() + " carries part of the classifier's share: " + kept);
            float[] weightRows = model.values(w).abs().reshape(channels, fanIn).sum(new int[] {1}).toFloatArray();
            for (int c = 0; c < channels; c++) {
                assertEquals(rows[c] == 0, weightRows[c] == 0, w.name() + " channel " + c);
            }
        }
    }

    @Test
    void blockMasksKeepWholeTilesAtAnExactCount() {
        SparseModel model = lenet300();
        StaticMask.builder().sparsity(0.8).budget(Budget.UNIFORM).pattern(Pattern.block(2, 4)).build()
                .onStart(new FakeContext(model, 10, 2, 1));
        for (MaskedWeight w : model.weights()) {
            long r = w.shape().get(0) / 2;
            long c = w.shape().get(1) / 4;
            float[] tiles = model.mask(w).reshape(r, 2, c, 4).sum(new int[] {1, 3}).toFloatArray();
            long kept = 0;
            for (float t : tiles) {
                assertTrue(t == 0 || t == 8, w.name() + " tile sum " + t);
                kept += t == 8 ? 1 : 0;
            }
            assertEquals(Math.round(0.2 * r * c), kept, w.name());
        }
    }

    @Test
    void aDimensionTheNofMPatternDoesNotDivideIsAnErrorNamingLayerAndShape() {
        SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(8).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 10));
        SparseModel model = SparseModel.of(block);
        Gmp gmp = Gmp.builder().sparsity(0.5).pattern(Pattern.nOfM(2, 4)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gmp.onStart(new FakeContext(model, 10, 2, 1)));
        String name = model.weights().get(0).name();
        assertTrue(e.getMessage().contains("'" + name + "'") && e.getMessage().contains("(8, 10)"), e.getMessage());
    }

    @Test
    void globalBudgetWorksWithStructuredPatterns() {
        SparseModel model = lenet300();
        Gmp gmp = Gmp.builder().sparsity(0.5).budget(Budget.GLOBAL).pattern(Pattern.nOfM(2, 4)).build();
        FakeContext context = new FakeContext(model, 10, 4, 1);
        gmp.onStart(context);
        context.step = 10;
        gmp.afterStep(context);
        assertNofM(model, 2, 4);
    }
}
