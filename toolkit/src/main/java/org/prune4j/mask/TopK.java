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
 * <p>Cost: one partial selection ({@code topK} on the smaller side), one comparison and one count read
 * back from the device; the tie-break pass runs only when ties straddle the k-th place.
 */
public final class TopK {

    private TopK() {}

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
            NDArray kth = kthLargest(flat, keep);
            NDArray atLeast = flat.gte(kth);
            // Usually no tie straddles the k-th place (distinct scores, or every tie fits): then the scores at
            // or above the k-th value are exactly `keep`, and the tie-break below (a cumulative sum over every
            // score) is not needed. Costs one number read from the device, at a mask update, not per step.
            if (count(atLeast) == keep) {
                result = atLeast.toType(DataType.FLOAT32, false).reshape(scores.getShape());
            } else {
                NDArray above = flat.gt(kth);
                NDArray tied = flat.eq(kth);
                // Places left for ties = keep - count(above); ties are taken in index order.
                NDArray placesLeft = above.countNonzero().neg().add(keep);
                NDArray tieRank = tied.toType(DataType.INT64, false).cumSum(0);
                NDArray takenTies = tied.logicalAnd(tieRank.lte(placesLeft));
                result = above.logicalOr(takenTies).toType(DataType.FLOAT32, false).reshape(scores.getShape());
            }
            NDScope.unregister(result);
        }
        return result;
    }

    /** The number of true values of a boolean array (one number read from the device). */
    private static long count(NDArray condition) {
        try (NDArray count = condition.countNonzero()) {
            return count.getLong();
        }
    }

    /**
     * One global selection over several score tensors (one threshold across layers), returning one
     * mask per tensor, in order. The tensors must be on the same device.
     */
    public static List<NDArray> globalMasks(List<NDArray> scores, long keep) {
        List<NDArray> masks = new ArrayList<>(scores.size());
        try (NDScope ignored = new NDScope()) {
            NDArray[] flats = scores.stream().map(s -> s.reshape(-1)).toArray(NDArray[]::new);
            NDArray all = flats.length == 1 ? flats[0] : NDArrays.concat(new ai.djl.ndarray.NDList(flats), 0);
            NDArray joint = mask(all, keep);
            long offset = 0;
            for (NDArray s : scores) {
                long n = s.size();
                NDArray part = joint.get(offset + ":" + (offset + n)).reshape(s.getShape());
                // The slice is a view into `joint`; copy so each mask owns its memory.
                NDArray owned = part.duplicate();
                NDScope.unregister(owned);
                masks.add(owned);
                offset += n;
            }
        }
        return masks;
    }

    /** The k-th largest value as a scalar array; uses the cheaper side of the sort (k vs n - k). */
    static NDArray kthLargest(NDArray flat, long k) {
        long n = flat.size();
        if (k <= n - k) {
            return flat.topK((int) k, 0, true, false).get(0).min();
        }
        // The k-th largest is the (n - k + 1)-th smallest.
        return flat.topK((int) (n - k + 1), 0, false, false).get(0).max();
    }

    static void checkKeep(long keep, long size) {
        if (keep < 0 || keep > size) {
            throw new IllegalArgumentException(
                    "keep count " + keep + " is outside [0, " + size + "] for a tensor of " + size + " values");
        }
    }
}
