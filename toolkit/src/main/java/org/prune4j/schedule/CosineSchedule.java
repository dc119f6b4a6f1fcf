package org.prune4j.schedule;

/**
 * Cosine decay from {@code initial} to {@code min} over {@code totalSteps}: the drop ("death") rate
 * of GraNet (0.5 to 0.005 over the run) and RigL (0.3 to 0 by 75% of training); methods.md,
 * "Cosine decay of the drop rate".
 *
 * <p>{@code r_t = r_min + 0.5 (r_0 - r_min)(1 + cos(pi t / T))}, held at {@code r_min} for
 * {@code t >= T} and at {@code r_0} for {@code t < 0}.
 */
record CosineSchedule(double initial, double min, long totalSteps) implements Schedule {

    CosineSchedule {
        // Not capped at 1: the same decay serves learning rates (a drop rate's range is its builder's check).
        if (!(initial >= 0 && Double.isFinite(initial))) { // also rejects NaN
            throw new IllegalArgumentException("initial rate " + initial + " is outside [0, inf): expected a finite rate >= 0");
        }
        if (!(min >= 0 && min <= initial)) {
            throw new IllegalArgumentException("minimum rate " + min + " is outside [0, " + initial
                    + "] (needs 0 <= min <= initial)");
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("total steps " + totalSteps + " is below 1 (needs totalSteps >= 1)");
        }
    }

    @Override
    public double valueAt(long step) {
        // Clamp so that the cosine does not climb back up after T.
        long t = Math.max(0, Math.min(step, totalSteps));
        return min + 0.5 * (initial - min) * (1 + Math.cos(Math.PI * t / totalSteps));
    }

    @Override
    public String describe() {
        return "cosine " + Describe.value(initial) + " -> " + Describe.value(min) + " over " + totalSteps + " steps";
    }

    @Override
    public String toString() {
        return describe();
    }
}
