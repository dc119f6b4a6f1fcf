package org.prune4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prune4j.ManagedTest;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.util.Random;

class LotteryTicketTest extends ManagedTest {

    /** Rounds of 5 steps each (3 epochs of 5 steps, 3 rounds): boundaries at steps 5 and 10. */
    @ParameterizedTest
    @ValueSource(longs = {0, 2})
    void prunesTwentyPercentOfTheRemainingAndRewindsSurvivorsExactly(long rewindStep) {
        LotteryTicket lth = LotteryTicket.builder().rounds(3).rewindStep(rewindStep).budget(Budget.GLOBAL).build();
        assertEquals(0.2, lth.pruneFraction(), 1e-12);
        assertEquals(0.36, lth.targetSparsity(), 1e-12);
        SparseModel model = TinyModels.twoLayers(manager);
        float[][] initial = TinyModels.randomizeWeights(model, 1);
        FakeContext context = new FakeContext(model, 5, 3, 1);
        assertArrayEquals(new long[] {5, 10}, lth.roundStarts(5, 3));
        Random noise = new Random(2);
        lth.onStart(context);
        float[][] rewindTo = rewindStep == 0 ? initial : null;
        long total = model.totalWeights();
        long keptBefore = total;
        float[][] maskBefore = null;
        int boundaries = 0;
        for (long t = 0; t < 15; t++) {
            context.step = t;
            float[][] trained = values(model);
            lth.afterBackward(context);
            if (t == 5 || t == 10) {
                boundaries++;
                long kept = TinyModels.kept(model);
                assertEquals(Math.round(Math.pow(0.8, boundaries) * total), kept, "kept after round " + boundaries);
                assertEquals(0.8 * keptBefore, kept, 1.0, "20% of the remaining pruned");
                assertEquals(boundaries, context.optimizerResets, "optimizer state reset at each boundary");
                float smallestKept = Float.MAX_VALUE;
                float largestPruned = 0;
                for (MaskedWeight w : model.weights()) {
                    float[] mask = TinyModels.mask(model, w);
                    float[] now = model.values(w).toFloatArray();
                    float[] start = rewindTo[w.index()];
                    float[] trainedW = trained[w.index()];
                    for (int i = 0; i < mask.length; i++) {
                        // Survivors are exactly their rewind values; pruned weights are zero.
                        assertEquals(mask[i] == 1 ? start[i] : 0f, now[i], 0f, w.name() + " position " + i);
                        if (mask[i] == 1) {
                            smallestKept = Math.min(smallestKept, Math.abs(trainedW[i]));
                        } else {
                            largestPruned = Math.max(largestPruned, Math.abs(trainedW[i]));
                        }
                        if (maskBefore != null && maskBefore[w.index()][i] == 0) {
                            assertEquals(0f, mask[i], "pruned weights stay pruned");
                        }
                    }
                }
                // Global magnitude pruning of the trained (not the rewound) weights.
                assertTrue(smallestKept >= largestPruned, smallestKept + " < " + largestPruned);
                keptBefore = kept;
                maskBefore = new float[2][];
                for (MaskedWeight w : model.weights()) {
                    maskBefore[w.index()] = TinyModels.mask(model, w);
                }
            } else {
                assertEquals(keptBefore, TinyModels.kept(model));
            }
            TinyModels.fakeStep(model, noise);
            context.step = t + 1;
            lth.afterStep(context);
            if (rewindStep > 0 && t + 1 == rewindStep) {
                rewindTo = values(model);
            }
        }
        assertEquals(2, boundaries);
    }

    private static float[][] values(SparseModel model) {
        float[][] out = new float[model.weights().size()][];
        for (MaskedWeight w : model.weights()) {
            out[w.index()] = model.values(w).toFloatArray();
        }
        return out;
    }
}
