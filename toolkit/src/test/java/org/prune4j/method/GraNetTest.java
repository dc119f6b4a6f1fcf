package org.prune4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;
import org.prune4j.ManagedTest;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.schedule.GradualSchedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

class GraNetTest extends ManagedTest {

    private static final int STEPS_PER_EPOCH = 10;
    private static final int EPOCHS = 4;

    /** Drives a method over the whole fake run; returns the host masks after every update step. */
    private List<float[][]> drive(SparsityMethod method, long seed, List<Long> updateSteps, List<Long> keptAtUpdates) {
        SparseModel model = TinyModels.twoLayers(manager);
        TinyModels.randomizeWeights(model, 1);
        FakeContext context = new FakeContext(model, STEPS_PER_EPOCH, EPOCHS, seed);
        Random noise = new Random(2);
        method.onStart(context);
        List<float[][]> masks = new ArrayList<>();
        for (long t = 0; t < (long) STEPS_PER_EPOCH * EPOCHS; t++) {
            context.step = t;
            TinyModels.setGradients(model, TinyModels.randomGradients(model, 100 + t));
            long keptBefore = TinyModels.kept(model);
            float[][] before = hostMasks(model);
            method.afterBackward(context);
            float[][] after = hostMasks(model);
            if (method instanceof GraNet granet && granet.isUpdateStep(t)) {
                updateSteps.add(t);
                keptAtUpdates.add(TinyModels.kept(model));
                masks.add(after);
            } else {
                assertEquals(keptBefore, TinyModels.kept(model), "no change outside update steps, step " + t);
                for (int i = 0; i < before.length; i++) {
                    assertArrayEquals(before[i], after[i], "step " + t);
                }
            }
            TinyModels.fakeStep(model, noise);
            context.step = t + 1;
            method.afterStep(context);
        }
        return masks;
    }

    private static float[][] hostMasks(SparseModel model) {
        float[][] out = new float[model.weights().size()][];
        for (MaskedWeight w : model.weights()) {
            out[w.index()] = TinyModels.mask(model, w);
        }
        return out;
    }

    @Test
    void sparsityEqualsTheGradualScheduleAtEveryUpdateStep() {
        GraNet granet = GraNet.builder().sparsity(0.9).every(5).build();
        List<Long> steps = new ArrayList<>();
        List<Long> kept = new ArrayList<>();
        drive(granet, 1, steps, kept);
        GradualSchedule schedule = granet.schedule(STEPS_PER_EPOCH, EPOCHS);
        long total = 10 * 12 + 6 * 10;
        // Pruning every 5 steps over [0, 20], then drop-and-regrow every 5 steps to the end of the run.
        assertEquals(List.of(0L, 5L, 10L, 15L, 20L, 25L, 30L, 35L), steps);
        for (int i = 0; i < steps.size(); i++) {
            long expected = Math.round((1 - schedule.valueAt(steps.get(i))) * total);
            assertEquals(expected, kept.get(i), "kept weights at step " + steps.get(i));
        }
        assertEquals(Math.round(0.1 * total), kept.get(kept.size() - 1));
    }

    @Test
    void keepsRegrowingAfterTheLastPruningStep() {
        GraNet granet = GraNet.builder().sparsity(0.8).every(5).build();
        List<float[][]> masks = drive(granet, 1, new ArrayList<>(), new ArrayList<>());
        // Updates at 25, 30 and 35 come after the final pruning step (20): the masks still move.
        float[][] atTwenty = masks.get(4);
        float[][] atThirtyFive = masks.get(7);
        assertTrue(!java.util.Arrays.equals(atTwenty[0], atThirtyFive[0]), "masks change after pruning ends");
    }

    @Test
    void sameSeedGivesSameMasks() {
        for (SparsityMethod[] pair : new SparsityMethod[][] {
                {GraNet.st().sparsity(0.9).every(5).build(), GraNet.st().sparsity(0.9).every(5).build()},
                {DynamicSparse.set().sparsity(0.8).every(5).build(), DynamicSparse.set().sparsity(0.8).every(5).build()},
                {DynamicSparse.rigl().sparsity(0.8).every(5).build(), DynamicSparse.rigl().sparsity(0.8).every(5).build()}}) {
            float[][] first = finalMasks(pair[0], 9);
            float[][] second = finalMasks(pair[1], 9);
            for (int i = 0; i < first.length; i++) {
                assertArrayEquals(first[i], second[i], pair[0].name() + " layer " + i);
            }
        }
    }

    private float[][] finalMasks(SparsityMethod method, long seed) {
        SparseModel model = TinyModels.twoLayers(manager);
        TinyModels.randomizeWeights(model, 1);
        FakeContext context = new FakeContext(model, STEPS_PER_EPOCH, EPOCHS, seed);
        Random noise = new Random(2);
        method.onStart(context);
        for (long t = 0; t < (long) STEPS_PER_EPOCH * EPOCHS; t++) {
            context.step = t;
            TinyModels.setGradients(model, TinyModels.randomGradients(model, 100 + t));
            method.afterBackward(context);
            TinyModels.fakeStep(model, noise);
            context.step = t + 1;
            method.afterStep(context);
        }
        return hostMasks(model);
    }

    @Test
    void granetStStartsFromARandomErkMaskAtHalfDensity() {
        GraNet st = GraNet.st().sparsity(0.9).every(5).build();
        SparseModel model = TinyModels.twoLayers(manager);
        st.onStart(new FakeContext(model, STEPS_PER_EPOCH, EPOCHS, 1));
        assertEquals(90, TinyModels.kept(model));
        assertEquals("granet-st", st.name());
    }

    @Test
    void riglKeepsErkLayerCountsAndStopsAtThreeQuarters() {
        DynamicSparse rigl = DynamicSparse.rigl().sparsity(0.8).every(5).build();
        MaskUpdates updates = rigl.updates(STEPS_PER_EPOCH, EPOCHS);
        assertEquals(30, updates.endStep());
        assertTrue(updates.isUpdateStep(25));
        assertTrue(!updates.isUpdateStep(30) && !updates.isUpdateStep(0) && !updates.isUpdateStep(7));
        assertEquals(0.3, rigl.dropRates(STEPS_PER_EPOCH, EPOCHS).valueAt(0), 1e-12);
        assertEquals(0.0, rigl.dropRates(STEPS_PER_EPOCH, EPOCHS).valueAt(30), 1e-12);
        float[][] masks = finalMasks(rigl, 3);
        SparseModel reference = TinyModels.twoLayers(manager);
        long[] expected = rigl.allocation().keepCounts(reference, 0.2);
        assertEquals(expected[0], TinyModels.count(masks[0]));
        assertEquals(expected[1], TinyModels.count(masks[1]));
    }
}
