package org.prune4j.schedule;

/**
 * The gradual (polynomial) sparsity schedule of Zhu &amp; Gupta, used by GMP and GraNet
 * (methods.md, "Gradual schedule").
 *
 * <p>The sparsity is {@code s_t = s_f + (s_i - s_f) * (1 - (t - t0) / (t1 - t0))^p}, evaluated only at
 * update steps {@code t0, t0 + dT, t0 + 2 dT, ...} and held constant in between; {@code s_i} before
 * {@code t0} and {@code s_f} from {@code t1} on.
 *
 * <p>Choice: when {@code t1 - t0} is not a multiple of {@code dT}, {@code t1} is still an update step
 * (the last interval is shorter), so the final sparsity is always reached exactly at {@code t1}
 * rather than at the next multiple of {@code dT}.
 *
 * @param initialSparsity {@code s_i}, in [0, 1)
 * @param finalSparsity {@code s_f}, in [0, 1), at least {@code s_i}
 * @param startStep {@code t0}, the first update step, {@code >= 0}
 * @param endStep {@code t1}, the last update step, {@code > t0}
 * @param every {@code dT}, the update interval in steps, {@code >= 1}
 * @param power {@code p}, the exponent, {@code > 0} (3 in the paper)
 */
public record GradualSchedule(
        double initialSparsity, double finalSparsity, long startStep, long endStep, long every, double power)
        implements Schedule {

    /** Validates every component; messages name the bad value and the accepted range. */
    public GradualSchedule {
        requireSparsity("initial", initialSparsity);
        requireSparsity("final", finalSparsity);
        if (initialSparsity > finalSparsity) {
            throw new IllegalArgumentException("initial sparsity " + initialSparsity + " is above final sparsity "
                    + finalSparsity + " (needs from <= to: a gradual schedule only prunes)");
        }
        if (startStep < 0) {
            throw new IllegalArgumentException("start step " + startStep + " is negative (needs startStep >= 0)");
        }
        if (endStep <= startStep) {
            throw new IllegalArgumentException("end step " + endStep + " is not after start step " + startStep
                    + " (needs endStep > startStep)");
        }
        if (every < 1) {
            throw new IllegalArgumentException("update interval " + every + " is below 1 (needs every >= 1)");
        }
        if (!(power > 0) || Double.isInfinite(power)) { // also rejects NaN
            throw new IllegalArgumentException("power " + power + " is outside (0, inf) (needs a finite power > 0)");
        }
    }

    private static void requireSparsity(String which, double s) {
        if (!(s >= 0 && s < 1)) { // also rejects NaN
            throw new IllegalArgumentException(which + " sparsity " + s + " is outside [0, 1)");
        }
    }

    @Override
    public double valueAt(long step) {
        if (step < startStep) {
            return initialSparsity;
        }
        if (step >= endStep) {
            return finalSparsity;
        }
        return sparsityAt(lastUpdateStep(step));
    }

    /**
     * True at the steps where a method should prune: {@code t0, t0 + dT, ...} up to {@code t1}, and at
     * {@code t1} itself.
     */
    public boolean isUpdateStep(long step) {
        return step >= startStep && step <= endStep && ((step - startStep) % every == 0 || step == endStep);
    }

    /** The latest update step at or before {@code step}, for {@code t0 <= step < t1}. */
    private long lastUpdateStep(long step) {
        return startStep + (step - startStep) / every * every;
    }

    /** Zhu &amp; Gupta's cubic (power p) ramp at an update step {@code t} in {@code [t0, t1]}. */
    private double sparsityAt(long t) {
        double progress = (double) (t - startStep) / (endStep - startStep);
        double s = finalSparsity + (initialSparsity - finalSparsity) * Math.pow(1 - progress, power);
        // Rounding can land one ulp outside [s_i, s_f] (0.98 + (0.2 - 0.98) != 0.2), which would
        // break monotonicity at t0; clamp so the schedule never steps backwards.
        return Math.max(initialSparsity, Math.min(finalSparsity, s));
    }

    @Override
    public String describe() {
        return "gradual " + Describe.value(initialSparsity) + " -> " + Describe.value(finalSparsity)
                + " over steps [" + startStep + ", " + endStep + "], every " + every
                + ", power " + Describe.power(power);
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * Fluent builder, obtained from {@link Schedules#gradual()}. {@code to}, {@code endStep} and
     * {@code every} are required; {@code from} and {@code startStep} default to 0 and {@code power}
     * to 3. Everything is validated at {@link #build()}.
     */
    public static final class Builder {
        private double from = 0.0;
        private Double to;
        private long startStep = 0;
        private Long endStep;
        private Long every;
        private double power = 3.0;

        Builder() {
        }

        /** Initial sparsity {@code s_i} in [0, 1), held before the start step; default 0. */
        public Builder from(double initialSparsity) {
            this.from = initialSparsity;
            return this;
        }

        /** Final sparsity {@code s_f} in [0, 1), reached at the end step; required. */
        public Builder to(double finalSparsity) {
            this.to = finalSparsity;
            return this;
        }

        /** First update step {@code t0 >= 0}; default 0. */
        public Builder startStep(long t0) {
            this.startStep = t0;
            return this;
        }

        /** Last update step {@code t1 > t0}, where the final sparsity is reached; required. */
        public Builder endStep(long t1) {
            this.endStep = t1;
            return this;
        }

        /** Update interval {@code dT >= 1} in steps; required. */
        public Builder every(long dT) {
            this.every = dT;
            return this;
        }

        /** Exponent {@code p > 0} of the ramp; default 3. */
        public Builder power(double p) {
            this.power = p;
            return this;
        }

        /** Validates and builds the schedule. */
        public GradualSchedule build() {
            if (to == null) {
                throw new IllegalArgumentException("final sparsity is not set (call to(s) with s in [0, 1))");
            }
            if (endStep == null) {
                throw new IllegalArgumentException("end step is not set (call endStep(t1) with t1 > startStep)");
            }
            if (every == null) {
                throw new IllegalArgumentException("update interval is not set (call every(dT) with dT >= 1)");
            }
            return new GradualSchedule(from, to, startStep, endStep, every, power);
        }
    }
}
