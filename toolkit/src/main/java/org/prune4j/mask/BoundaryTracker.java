package org.prune4j.mask;

import ai.djl.ndarray.NDArray;

/**
 * {@link TopK#boundary} for one tensor whose scores drift slowly between calls (a layer's |w| during
 * training), searched first among the scores above a floor just under the previous boundary.
 *
 * <p>Why: PDP recomputes its threshold every few steps, and a partial selection over all of a layer's
 * weights costs more than the training step it serves (about 2.5 ms for LeNet-300-100's 235,200 first-layer
 * weights on 2 cores, against a 1.5 ms step). Between two calls the weights move by a few optimizer steps, so
 * the new boundary is almost always near the old one, and the selection can run over the few scores above a
 * floor placed just under it ({@link TopK#boundaryAbove}). The answer is exact either way: when fewer than
 * keep + 1 scores reach the floor, the call falls back to the full selection and lowers the floor further
 * next time; a floor that lets many more scores through than needed is raised.
 *
 * <p>Each call reads the two boundary values back from the device (they place the next floor). Not
 * thread-safe; one tracker per tensor.
 */
public final class BoundaryTracker {

    /** The floor's first distance under the previous largest pruned score, relative to it. */
    static final double INITIAL_MARGIN = 0.05;
    /** More spare scores above the floor than this share of all scores raise the floor. */
    private static final double MAX_SPARE_SHARE = 1.0 / 16;

    private double margin = INITIAL_MARGIN;
    private float prunedMax = Float.NaN;
    private long fallbacks;

    /**
     * The keep-th and (keep+1)-th largest of {@code scores} (smallest kept, largest pruned), exactly as
     * {@link TopK#boundary} gives them.
     *
     * @throws IllegalArgumentException unless 0 < keep < size
     */
    public NDArray[] boundary(NDArray scores, long keep) {
        TopK.FloorBoundary near = Float.isNaN(prunedMax) ? null
                : TopK.boundaryAbove(scores, keep, (float) (prunedMax * (1 - margin)));
        NDArray[] bounds;
        if (near == null) {
            bounds = TopK.boundary(scores, keep);
            if (!Float.isNaN(prunedMax)) {
                fallbacks++;
                margin = Math.min(1, margin * 4);
            }
        } else {
            bounds = new NDArray[] {near.keptMin(), near.prunedMax()};
            if (near.candidates() - keep - 1 > MAX_SPARE_SHARE * scores.size()) {
                margin /= 2;
            }
        }
        prunedMax = bounds[1].getFloat();
        return bounds;
    }

    /** Calls whose floor let too few scores through, so that they ran the full selection. */
    public long fallbacks() {
        return fallbacks;
    }
}
