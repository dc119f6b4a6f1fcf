package org.prune4j.mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

import java.util.ArrayList;
import java.util.List;

/**
 * Exact-count top-k masks, computed on the scores' device.
 *
 * <p>Why not {@code score > kth}: ties at the k-th value (zeros after pruning, equal magnitudes)
 * would keep too many or too few. Instead every score strictly above the k-th value is kept, and
 * the remaining places go to the tied scores with the lowest flat index. The result has exactly
 * k ones and depends only on the scores, never on the sort's stability.
 *
 * <p>Cost: one partial selection ({@code topK} on the smaller side), one comparison, and one value read
 * back from the device; the tie-break pass (a cumulative sum over every score) runs only when a tie
 * straddles the k-th place.
 */
public final class TopK {

    private TopK() {}

    /** Float32 sums of 0/1 values are exact while every partial sum is below 2^24. */
    private static final long EXACT_FLOAT_COUNT = 1L << 24;

    /** A float32 mask shaped like {@code scores} with exactly {@code keep} ones at the largest scores. */
    public static NDArray mask(NDArray scores, long keep) {
        long size = scores.size();
        checkKeep(keep, size);
        if (keep == 0) {
            return scores.zerosLike().toType(DataType.FLOAT32, false);
        }
        if (keep == size) {
            return scores.onesLike().toType(DataType.FLOAT32, false);
        }
        NDArray result;
        try (NDScope ignored = new NDScope()) {
            NDArray flat = scores.reshape(-1);
            NDArray[] bounds = boundary(flat, keep);
            NDArray selected = straddled(bounds) ? tieBreak(flat, bounds[0], keep)
                    : flat.gte(bounds[0]).toType(DataType.FLOAT32, false);
            result = selected.reshape(scores.getShape());
            NDScope.unregister(result);
        }
        return result;
    }

    /**
     * The smallest kept and the largest pruned score when the top {@code keep} of {@code scores} are kept:
     * the keep-th and (keep+1)-th largest values, as two scalar arrays on the scores' device. One unordered
     * partial selection on the cheaper side (keep+1 largest or size-keep+1 smallest), then the two values
     * out of it: sorting the selection would cost more than selecting it.
     *
     * @throws IllegalArgumentException unless 0 < keep < size
     */
    public static NDArray[] boundary(NDArray scores, long keep) {
        NDArray flat = scores.reshape(-1);
        long n = flat.size();
        if (keep <= 0 || keep >= n) {
            throw new IllegalArgumentException("a boundary between kept and pruned needs 0 < keep < " + n + ", got " + keep);
        }
        if (keep + 1 <= n - keep + 1) {
            // The keep+1 largest; their two smallest are the (keep+1)-th and the keep-th largest.
            NDArray two = flat.topK((int) (keep + 1), 0, true, false).get(0).topK(2, 0, false, true).get(0);
            return new NDArray[] {two.get(1), two.get(0)};
        }
        // The n-keep+1 smallest; their two largest are the keep-th and the (keep+1)-th largest.
        NDArray two = flat.topK((int) (n - keep + 1), 0, false, false).get(0).topK(2, 0, true, true).get(0);
        return new NDArray[] {two.get(0), two.get(1)};
    }

    /**
     * The smallest kept and the largest pruned score, as {@link #boundary} gives them, and how many scores
     * the selection looked at.
     */
    public record FloorBoundary(NDArray keptMin, NDArray prunedMax, long candidates) {}

    /**
     * {@link #boundary} found among the scores at or above {@code floor} only: exact whenever more than
     * {@code keep} scores are there, since the keep+1 largest then all are. One comparison and one masked
     * copy over every score, then a partial selection over the copy. Returns null when {@code keep} or fewer
     * scores reach the floor (the caller falls back to {@link #boundary}).
     *
     * @throws IllegalArgumentException unless 0 < keep < size
     */
    public static FloorBoundary boundaryAbove(NDArray scores, long keep, float floor) {
        NDArray flat = scores.reshape(-1);
        long n = flat.size();
        if (keep <= 0 || keep >= n) {
            throw new IllegalArgumentException("a boundary between kept and pruned needs 0 < keep < " + n + ", got " + keep);
        }
        FloorBoundary found;
        try (NDScope ignored = new NDScope()) {
            NDArray candidates = flat.booleanMask(flat.gte(floor));
            long count = candidates.size();
            if (count <= keep) {
                return null;
            }
            NDArray[] bounds = boundary(candidates, keep);
            NDScope.unregister(bounds);
            found = new FloorBoundary(bounds[0], bounds[1], count);
        }
        // Unregistering left the two scalars in no scope at all: hand them to the caller's, where
        // boundary's own results live, so a caller's scope frees them (they leaked once per update).
        NDScope.register(found.keptMin());
        NDScope.register(found.prunedMax());
        return found;
    }

    /**
     * Whether the keep-th and (keep+1)-th largest are equal, so a tie straddles the boundary and only some
     * of the tied scores are kept. Otherwise exactly {@code keep} scores are at or above the keep-th largest and
     * a comparison is the mask. Reads one value from the device (at a mask update, not per step).
     */
    private static boolean straddled(NDArray[] bounds) {
        try (NDArray apart = bounds[0].gt(bounds[1])) {
            return !apart.getBoolean();
        }
    }

    /** Every score above the keep-th largest, then the tied ones in index order until {@code keep}: a flat float mask. */
    private static NDArray tieBreak(NDArray flat, NDArray kth, long keep) {
        NDArray above = flat.gt(kth);
        NDArray tied = flat.eq(kth);
        NDArray placesLeft = above.countNonzero().neg().add(keep);
        NDArray tieRank = tied.toType(DataType.INT64, false).cumSum(0);
        NDArray takenTies = tied.logicalAnd(tieRank.lte(placesLeft));
        return above.logicalOr(takenTies).toType(DataType.FLOAT32, false);
    }

    /**
     * One global selection over several score tensors (one threshold across layers), returning one
     * mask per tensor, in order. The tensors must be on the same device.
     */
    public static List<NDArray> globalMasks(List<NDArray> scores, long keep) {
        long total = scores.stream().mapToLong(NDArray::size).sum();
        checkKeep(keep, total);
        List<NDArray> masks = new ArrayList<>(scores.size());
        if (keep == 0 || keep == total) {
            scores.forEach(s -> masks.add(mask(s, keep == 0 ? 0 : s.size())));
            return masks;
        }
        try (NDScope ignored = new NDScope()) {
            NDArray[] flats = scores.stream().map(s -> s.reshape(-1)).toArray(NDArray[]::new);
            NDArray all = flats.length == 1 ? flats[0] : NDArrays.concat(new ai.djl.ndarray.NDList(flats), 0);
            NDArray[] bounds = boundary(all, keep);
            NDArray joint = straddled(bounds) ? tieBreak(all, bounds[0], keep) : null;
            long offset = 0;
            for (NDArray s : scores) {
                long n = s.size();
                // Without a straddling tie each tensor's mask is its own comparison with the one threshold;
                // with one, a slice of the joint mask (a view into it, so copied to own its memory).
                NDArray owned = joint == null ? s.gte(bounds[0]).toType(DataType.FLOAT32, false)
                        : joint.get(offset + ":" + (offset + n)).reshape(s.getShape()).duplicate();
                NDScope.unregister(owned);
                masks.add(owned);
                offset += n;
            }
        }
        return masks;
    }

    /**
     * The number of ones in a 0/1 float mask, read from the device: a float sum (a fast reduction) while it is
     * exact, a count of nonzeros for masks of 2^24 values or more.
     */
    public static long ones(NDArray mask) {
        if (mask.size() < EXACT_FLOAT_COUNT) {
            try (NDArray sum = mask.sum()) {
                return (long) sum.getFloat();
            }
        }
        // countNonzero makes a boolean copy first: the scope frees it with the count.
        try (NDScope ignored = new NDScope()) {
            return mask.countNonzero().getLong();
        }
    }

    static void checkKeep(long keep, long size) {
        if (keep < 0 || keep > size) {
            throw new IllegalArgumentException(
                    "keep count " + keep + " is outside [0, " + size + "] for a tensor of " + size + " values");
        }
    }
}
