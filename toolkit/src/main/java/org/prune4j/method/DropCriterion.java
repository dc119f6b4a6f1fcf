package org.prune4j.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

import org.prune4j.mask.TopK;

/**
 * Which surviving weights a drop-and-grow step keeps (methods.md, "SET", "RigL", "GraNet" step 2): the
 * complement are dropped. Selection runs on the weights' device with an exact count.
 */
@FunctionalInterface
public interface DropCriterion {

    /**
     * A float mask with exactly {@code keep} ones, all inside {@code mask} (the current survivors).
     *
     * @param values the weight tensor
     * @param mask   the current 0/1 mask of the weight
     * @param keep   how many survivors stay, at most the number of ones in {@code mask}
     */
    NDArray keep(NDArray values, NDArray mask, long keep);

    /**
     * Drops the smallest |w| among the survivors: scores are |w| at kept positions and -inf at pruned
     * ones, so the top {@code keep} scores are survivors only (exact count, ties by index as in TopK).
     */
    static DropCriterion magnitude() {
        return (values, mask, keep) -> {
            try (NDArray score = values.abs();
                    NDArray pruned = Scores.negativeInfinity(values);
                    NDArray survivor = mask.gt(0);
                    NDArray candidates = NDArrays.where(survivor, score, pruned)) {
                return TopK.mask(candidates, keep);
            }
        };
    }
}
