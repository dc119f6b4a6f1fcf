package org.prune4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The conventional sparsity axis of pruning papers: equal steps in log density, so 90%, 99% and 99.9% are
 * equally far apart and a sweep up to 98% does not crowd into the right-most tenth of a linear axis.
 *
 * <p>Position {@code x = -log10(1 - s)}: dense (s = 0) at 0, 90% at 1, 99% at 2. The ticks are the levels
 * papers report (50, 80, 90, 95, 98, 99, 99.5, 99.8, 99.9%), those within the data's range.
 */
public final class SparsityAxis {

    /** Sparsity levels that get a tick, in increasing order. */
    static final double[] LEVELS = {0.0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999};

    private SparsityAxis() {}

    /**
     * The axis position of a sparsity: {@code -log10(1 - s)}.
     *
     * @throws IllegalArgumentException if {@code s} is outside [0, 1)
     */
    public static double position(double sparsity) {
        if (!(sparsity >= 0.0 && sparsity < 1.0)) {
            throw new IllegalArgumentException("sparsity " + sparsity + " outside [0,1)");
        }
        return -Math.log10(1.0 - sparsity);
    }

    /** The sparsity at an axis position: {@code 1 - 10^-x}, the inverse of {@link #position}. */
    public static double sparsity(double position) {
        return 1.0 - Math.pow(10.0, -position);
    }

    /**
     * The tick levels for data up to {@code maxSparsity}: every level up to the first one at or above it,
     * at least up to 90%, so the axis always shows where 90% lies.
     */
    public static List<Double> ticks(double maxSparsity) {
        List<Double> ticks = new ArrayList<>();
        for (double level : LEVELS) {
            ticks.add(level);
            if (level >= Math.max(maxSparsity, 0.9) - 1e-9) {
                break;
            }
        }
        return ticks;
    }

    /** A tick's label: {@code "90%"}, {@code "99.5%"}, {@code "dense"} for 0. */
    public static String label(double sparsity) {
        if (sparsity == 0.0) {
            return "dense";
        }
        double percent = sparsity * 100.0;
        return Math.abs(percent - Math.rint(percent)) < 1e-9
                ? String.format(Locale.ROOT, "%d%%", Math.round(percent))
                : String.format(Locale.ROOT, "%.1f%%", percent);
    }
}
