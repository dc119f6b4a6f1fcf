package org.prune4j.mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

import org.prune4j.kernel.MagnitudeBand;
import org.prune4j.kernel.NativeKernels;

import java.util.Arrays;

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

    /** Magnitudes in the band around the boundary above which it is narrowed (a sort of this many is cheap). */
    static final int BAND_TARGET = 1024;

    private double margin = INITIAL_MARGIN;
    private float prunedMax = Float.NaN;
    private float keptMin = Float.NaN;
    private float[] band = new float[4 * BAND_TARGET];
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

    /**
     * The keep-th and (keep+1)-th largest |w| of {@code weight} as host values {smallest kept, largest pruned},
     * exactly as {@code boundary(weight.abs(), keep)} gives them. Where the fused kernels can read the weight
     * ({@link NativeKernels#usable}), one pass collects the magnitudes in a band around the previous boundary
     * ({@link MagnitudeBand}) and a sort of that band places both values; a band that misses them falls back to
     * the full selection and is widened next time, one that holds more than {@link #BAND_TARGET} magnitudes
     * is narrowed.
     *
     * @throws IllegalArgumentException unless 0 < keep < size
     */
    public float[] magnitudeBoundary(NDArray weight, long keep) {
        long n = weight.size();
        if (keep <= 0 || keep >= n) {
            throw new IllegalArgumentException("a boundary between kept and pruned needs 0 < keep < " + n + ", got " + keep);
        }
        if (!Float.isNaN(prunedMax) && NativeKernels.usable(weight)) {
            float[] near = nearBoundary(weight, keep);
            if (near != null) {
                return near;
            }
            fallbacks++;
        }
        try (NDScope ignored = new NDScope()) {
            NDArray[] bounds = TopK.boundary(weight.abs(), keep);
            keptMin = bounds[0].getFloat();
            prunedMax = bounds[1].getFloat();
        }
        return new float[] {keptMin, prunedMax};
    }

    /** The boundary from the band around the previous one, or null when the band misses it. */
    private float[] nearBoundary(NDArray weight, long keep) {
        float floor = (float) (prunedMax * (1 - margin));
        // At least just above keptMin: a keptMin of 0 (more zeros than pruned places) would otherwise give
        // an empty band and a full selection at every call.
        float ceiling = Math.max((float) (keptMin * (1 + margin)), Math.nextUp(keptMin));
        MagnitudeBand.Counts found = MagnitudeBand.scan(weight, floor, ceiling, band);
        // The smallest kept magnitude is the rank-th largest in the band, the largest pruned the next one.
        long rank = keep - found.above();
        if (rank < 1 || rank + 1 > found.inBand()) {
            margin = Math.min(1, margin * 4);
            return null;
        }
        if (found.inBand() > band.length) {
            band = new float[(int) Math.min(weight.size(), 2 * found.inBand())];
            margin /= 2;
            return null;
        }
        int size = (int) found.inBand();
        Arrays.sort(band, 0, size);
        keptMin = band[(int) (size - rank)];
        prunedMax = band[(int) (size - rank - 1)];
        if (size > BAND_TARGET) {
            margin /= 2;
        }
        return new float[] {keptMin, prunedMax};
    }

    /** Calls whose floor let too few scores through, so that they ran the full selection. */
    public long fallbacks() {
        return fallbacks;
    }
}
