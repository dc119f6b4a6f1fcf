package org.prune4j.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Score tensors for mask selection, one per maskable weight, in model order. Callers close them. */
public final class Scores {

    private Scores() {}

    /** |w| of every maskable weight; pruned weights are zero, so they stay pruned first. */
    public static List<NDArray> magnitude(SparseModel model) {
        List<NDArray> scores = new ArrayList<>();
        for (MaskedWeight weight : model.weights()) {
            scores.add(model.values(weight).abs());
        }
        return scores;
    }

    /**
     * Uniform random scores drawn from a Java {@link Random} on the host, then copied to the device once:
     * the same seed gives the same masks on the CPU and on a GPU.
     */
    public static List<NDArray> random(SparseModel model, Random random) {
        List<NDArray> scores = new ArrayList<>();
        for (MaskedWeight weight : model.weights()) {
            float[] values = new float[Math.toIntExact(weight.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextFloat();
            }
            NDManager manager = model.values(weight).getManager();
            scores.add(manager.create(values, weight.shape()));
        }
        return scores;
    }

    /**
     * A scalar -inf of the scores' type and device: the score of positions a selection must not pick.
     * {@code where} broadcasts it, so no tensor-sized fill is needed.
     */
    static NDArray negativeInfinity(NDArray like) {
        return like.getManager().full(new Shape(), Float.NEGATIVE_INFINITY, like.getDataType(), like.getDevice());
    }

    /** Closes a list of score tensors. */
    public static void close(List<NDArray> scores) {
        scores.forEach(NDArray::close);
    }
}
