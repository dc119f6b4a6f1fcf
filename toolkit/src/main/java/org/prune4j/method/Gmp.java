package org.prune4j.method;

import ai.djl.ndarray.NDArray;

import org.prune4j.schedule.GradualSchedule;

import java.util.List;

/**
 * Gradual magnitude pruning (Zhu and Gupta 2017): every {@code dT} steps between the start and end of
 * pruning, the smallest-magnitude weights are pruned so that the sparsity follows the cubic schedule
 * (methods.md, "Gradual schedule"); no regrowth. Global or layer-wise (uniform, ER, ERK).
 *
 * <p>The default scope is global, one magnitude threshold over all masked layers: that is the GMP baseline
 * of the GraNet repository ({@code --method GMP}, its core file's {@code pruning}), which the GraNet
 * paper's GMP rows come from. Zhu and Gupta's original prunes each layer to the same sparsity: choose it
 * with {@code budget(Budget.UNIFORM)} ({@link #layerwise()}, the command line's {@code gmp-layerwise}).
 */
public final class Gmp implements SparsityMethod, Resumable {

    private final double sparsity;
    private final double initialSparsity;
    private final double startEpoch;
    private final Double endEpoch;
    private final long interval;
    private final double power;
    private final LayerAllocation allocation;
    private GradualSchedule schedule;
    private double currentSparsity;

    private Gmp(Builder builder, double sparsity, LayerAllocation allocation) {
        this.sparsity = sparsity;
        this.initialSparsity = builder.initialSparsity;
        this.startEpoch = builder.startEpoch;
        this.endEpoch = builder.endEpoch;
        this.interval = builder.interval;
        this.power = builder.power;
        this.allocation = allocation;
    }

    /** Starts a GMP configuration (global scope, as the GraNet code); the sparsity is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a layer-wise GMP configuration, Zhu and Gupta's original: every layer at the same sparsity. */
    public static Builder layerwise() {
        return new Builder().budget(Budget.UNIFORM);
    }

    /** "gmp" for the global scope, "gmp-layerwise" for a per-layer budget (uniform, ER, ERK): the CLI's names. */
    @Override
    public String name() {
        return allocation.budget() == Budget.GLOBAL ? "gmp" : "gmp-layerwise";
    }

    @Override
    public double targetSparsity() {
        return sparsity;
    }

    /** The layer budget and pattern. */
    public LayerAllocation allocation() {
        return allocation;
    }

    /**
     * The sparsity schedule over optimizer steps for a run of this length; available before training,
     * so it can be plotted.
     *
     * @throws IllegalArgumentException if pruning would end after the run
     */
    public GradualSchedule schedule(int stepsPerEpoch, int epochs) {
        return new PruningWindow("GMP", initialSparsity, sparsity, startEpoch, endEpoch, DEFAULT_END_FRACTION, interval,
                power).schedule(stepsPerEpoch, epochs);
    }

    /** The end of pruning, as a fraction of the run, when no end epoch is given (the rest fine-tunes). */
    public static final double DEFAULT_END_FRACTION = 0.75;

    @Override
    public void onStart(TrainingContext context) {
        allocation.validate(context.model());
        schedule = schedule(context.stepsPerEpoch(), context.epochs());
        currentSparsity = 0;
        pruneTo(context, schedule.valueAt(0));
    }

    @Override
    public boolean needsBackwardHookAt(long step) {
        // GMP prunes by magnitude after the optimizer step and never reads a gradient.
        return false;
    }

    @Override
    public void afterStep(TrainingContext context) {
        long step = context.step();
        if (schedule.isUpdateStep(step)) {
            pruneTo(context, schedule.valueAt(step));
        }
    }

    private void pruneTo(TrainingContext context, double target) {
        if (target <= currentSparsity) {
            return;
        }
        List<NDArray> scores = Scores.magnitude(context.model());
        try {
            allocation.keepTopScores(context.model(), scores, 1 - target);
        } finally {
            Scores.close(scores);
        }
        currentSparsity = target;
    }

    @Override
    public void saveState(MethodState state) {
        state.put("currentSparsity", currentSparsity);
    }

    @Override
    public void restoreState(MethodState state, TrainingContext context) {
        currentSparsity = state.getDouble("currentSparsity");
    }

    @Override
    public String describe() {
        return "gmp to sparsity " + sparsity + " from " + initialSparsity + ", every " + interval + " steps, "
                + "epochs " + startEpoch + " to " + (endEpoch == null ? DEFAULT_END_FRACTION + " of the run" : endEpoch)
                + " (" + allocation + ")";
    }

    /** Fluent settings for {@link Gmp}. */
    public static final class Builder extends AllocationBuilder<Builder> {
        private double initialSparsity;
        private double startEpoch;
        private Double endEpoch;
        private long interval = 100;
        private double power = 3;

        private Builder() {
            super(Budget.GLOBAL);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** The sparsity at the start of pruning; 0 by default. */
        public Builder initialSparsity(double initialSparsity) {
            this.initialSparsity = initialSparsity;
            return this;
        }

        /** The (fractional) epoch pruning starts at; 0 by default. */
        public Builder startEpoch(double epoch) {
            this.startEpoch = epoch;
            return this;
        }

        /** The (fractional) epoch pruning ends at; 75% of the run by default. */
        public Builder endEpoch(double epoch) {
            this.endEpoch = epoch;
            return this;
        }

        /** Steps between pruning updates (dT); 100 by default. */
        public Builder every(long steps) {
            this.interval = steps;
            return this;
        }

        /** The schedule's exponent; 3 by default (Zhu and Gupta). */
        public Builder power(double power) {
            this.power = power;
            return this;
        }

        /** Validates and builds. */
        public Gmp build() {
            double sparsity = validSparsity("gmp");
            Validate.sparsity("initial sparsity", initialSparsity);
            if (initialSparsity > sparsity) {
                throw new IllegalArgumentException("initial sparsity " + initialSparsity
                        + " is above the final sparsity " + sparsity + ": expected <= " + sparsity);
            }
            Validate.nonNegative("start epoch", startEpoch);
            if (endEpoch != null && !(endEpoch > startEpoch)) {
                throw new IllegalArgumentException("end epoch " + endEpoch + " must be after the start epoch " + startEpoch);
            }
            Validate.positive("pruning interval (steps)", interval);
            if (!(power > 0) || Double.isInfinite(power)) {
                throw new IllegalArgumentException("schedule power " + power + " must be a finite number > 0");
            }
            return new Gmp(this, sparsity, validAllocation("gmp"));
        }
    }
}
