package org.prune4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;


import org.junit.jupiter.api.Test;
import org.prune4j.ManagedTest;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

class SnipTest extends ManagedTest {

    @Test
    void maskIsTheGlobalTopKOfGradientTimesWeight() {
        SparseModel model = TinyModels.twoLayers(manager);
        float[][] w = TinyModels.randomizeWeights(model, 4);
        float[][] g = TinyModels.randomGradients(model, 5);
        Snip snip = Snip.builder().sparsity(0.75).build();
        FakeContext context = new FakeContext(model, 10, 2, 1);
        snip.onStart(context);
        assertNull(model.mask(model.weights().get(0)), "dense until the first backward pass");
        TinyModels.setGradients(model, g);
        snip.afterBackward(context);

        // By hand: concatenate |g * w| of both layers, keep the top 25% (45 of 180).
        int n0 = w[0].length;
        double[] scores = new double[n0 + w[1].length];
        for (int i = 0; i < scores.length; i++) {
            int layer = i < n0 ? 0 : 1;
            int j = i < n0 ? i : i - n0;
            scores[i] = Math.abs((double) g[layer][j] * w[layer][j]);
        }
        int[] top = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble(i -> -scores[i])).limit(45).mapToInt(Integer::intValue).toArray();
        float[] expected = new float[scores.length];
        for (int i : top) {
            expected[i] = 1;
        }
        for (MaskedWeight weight : model.weights()) {
            int from = weight.index() == 0 ? 0 : n0;
            assertArrayEquals(Arrays.copyOfRange(expected, from, from + (int) weight.size()),
                    TinyModels.mask(model, weight), weight.name());
        }
        // The mask is fixed afterwards.
        context.step = 1;
        TinyModels.setGradients(model, TinyModels.randomGradients(model, 6));
        snip.afterBackward(context);
        for (MaskedWeight weight : model.weights()) {
            int from = weight.index() == 0 ? 0 : n0;
            assertArrayEquals(Arrays.copyOfRange(expected, from, from + (int) weight.size()),
                    TinyModels.mask(model, weight), weight.name());
        }
    }
}
