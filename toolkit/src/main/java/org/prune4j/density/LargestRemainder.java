package org.prune4j.density;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Rounds per-layer kept counts {@code d_l * n_l} to whole numbers whose sum is exactly
 * {@code round(sum(d_l * n_l))} (largest-remainder, or Hamilton, rounding): every layer gets the
 * floor of its share, and the weights still missing go one each to the layers with the largest
 * fractional parts, ties to the lower layer index so that the result is deterministic.
 */
final class LargestRemainder {

    /**
     * Products within this relative distance of a whole number are snapped to it first, so that
     * {@code 0.1 * 1000 = 100.00000000000001} is treated as 100 and not as 100 plus a remainder.
     */
    private static final double SNAP = 1e-9;

    private LargestRemainder() {
    }

    static long[] round(long[] sizes, double[] densities) {
        int n = sizes.length;
        double[] shares = new double[n];
        double sum = 0;
        for (int l = 0; l < n; l++) {
            double exact = densities[l] * sizes[l];
            double whole = Math.rint(exact);
            shares[l] = Math.abs(exact - whole) <= SNAP * Math.max(1, exact) ? whole : exact;
            sum += shares[l];
        }
        long target = Math.round(sum); // half up
        long[] counts = new long[n];
        long assigned = 0;
        for (int l = 0; l < n; l++) {
            counts[l] = (long) Math.floor(shares[l]);
            assigned += counts[l];
        }
        // round(sum) - sum(floor) <= number of layers with a positive remainder, and a layer only
        // gains one when its remainder is positive, so no count exceeds its ceiling (<= n_l).
        Integer[] order = new Integer[n];
        for (int l = 0; l < n; l++) {
            order[l] = l;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(l -> -(shares[l] - counts[l]))
                .thenComparingInt(l -> l));
        for (int i = 0; assigned < target; i++) {
            counts[order[i]]++;
            assigned++;
        }
        return counts;
    }
}
