package org.prune4j.method;

import ai.djl.ndarray.NDArray;

import org.prune4j.mask.Pattern;
import org.prune4j.schedule.GradualSchedule;
import org.prune4j.schedule.Schedule;
import org.prune4j.schedule.Schedules;

import java.util.List;

/**
 * GraNet and GraNet-ST (Liu et al. 2021), methods.md "GraNet and GraNet-ST": gradual magnitude pruning
 * to the Zhu and Gupta schedule, with zero-cost neuroregeneration after every pruning update.
 *
 * <p>Every dT steps (at the after-backward event, so the current mini-batch's gradients are readable):
 * (1) global magnitude pruning to the schedule's current sparsity s_t (any other layer budget may be
 * chosen), then (2) in each layer drop {@code ceil(r_t nnz)} of the smallest surviving |w| and regrow as
 * many zero positions with the largest |grad|; regrown weights are 0 and their momentum is zeroed. The drop
 * rate follows the cosine {@code r_t = r_min + 0.5 (r_0 - r_min)(1 + cos(pi t / T))}, r_0 = 0.5,
 * r_min = 0.005, T = the whole run. Drop-and-regrow continues every dT after the last pruning step, to
 * the end of the run. GraNet starts dense; GraNet-ST starts from a random ERK mask at the initial
 * sparsity (0.5) and prunes from there.
 *
 * <p>Defaults: pruning from epoch 0 to half the run (the authors' recipe: 80 of 160 epochs), dT = 100.
 */
public final class GraNet implements SparsityMethod, Resumable {

    /** The end of pruning, as a fraction of the run, when no end epoch is given (the rest is DST at s_f). */
    public static final double DEFAULT_END_FRACTION = 0.5;

    private final boolean sparseStart;
    private final double sparsity;
    private final double initialSparsity;
    private final double startEpoch;
    private final Double endEpoch;
    private final long interval;
    private final double dropRate;
    private final double minDropRate;
    private final double updateUntil;
    private final LayerAllocation allocation;
    private final DropAndGrow dropAndGrow = DropAndGrow.rigl();
    private GradualSchedule schedule;
    private Schedule rates;
    private MaskUpdates regrowth;
    private double currentSparsity;

    private GraNet(Builder builder, double sparsity, LayerAllocation allocation) {
        this.sparseStart = builder.sparseStart;
        this.sparsity = sparsity;
        this.initialSparsity = builder.initialSparsity;
        this.startEpoch = builder.startEpoch;
        this.endEpoch = builder.endEpoch;
        this.interval = builder.validInterval();
        this.dropRate = builder.validDropRate();
        this.minDropRate = builder.minDropRate;
        this.updateUntil = builder.validUpdateUntil();
        this.allocation = allocation;
    }

    /** GraNet: starts dense. The sparsity is required. */
    public static Builder builder() {
        return new Builder(false);
    }

    /** GraNet-ST: starts from a random ERK mask at the initial sparsity (0.5 by default). */
    public static Builder st() {
        return new Builder(true).initialSparsity(0.5);
    }

    @Override
    public String name() {
        return sparseStart ? "granet-st" : "granet";
    }

    @Override
    public double targetSparsity() {
        return sparsity;
    }

    /** The budget of the pruning step (global by default) and the pattern. */
    public LayerAllocation allocation() {
        return allocation;
    }

    /** The sparsity schedule for a run of this length, available before training (for plots). */
    public GradualSchedule schedule(int stepsPerEpoch, int epochs) {
        return new PruningWindow(name(), initialSparsity, sparsity, startEpoch, endEpoch, DEFAULT_END_FRACTION, interval, 3)
                .schedule(stepsPerEpoch, epochs);
    }

    /** The drop-rate schedule: cosine from r_0 to r_min over the whole run. */
    public Schedule dropRates(int stepsPerEpoch, int epochs) {
        return Schedules.cosine(dropRate, minDropRate, Math.max(1, (long) stepsPerEpoch * epochs));
    }

    /** True at the steps where the mask changes: the pruning updates, then every dT to the end. */
    public boolean isUpdateStep(long step) {
        return schedule.isUpdateStep(step) || (step > schedule.endStep() && regrowth.isUpdateStep(step));
    }

    @Override
    public void onStart(TrainingContext context) {
        allocation.validate(context.model());
        schedule = schedule(context.stepsPerEpoch(), context.epochs());
        rates = dropRates(context.stepsPerEpoch(), context.epochs());
        long end = Math.max(1, Math.round(updateUntil * context.totalSteps()));
        regrowth = new MaskUpdates(interval, schedule.startStep(), end);
        currentSparsity = 0;
        if (sparseStart) {
            LayerAllocation start = new LayerAllocation(Budget.ERK, allocation.pattern(),
                    allocation.keepFirstDense(), allocation.keepLastDense());
            List<NDArray> scores = Scores.random(context.model(), context.random());
            try {
                start.keepTopScores(context.model(), scores, 1 - initialSparsity);
            } finally {
                Scores.close(scores);
            }
            currentSparsity = initialSparsity;
        }
    }

    @Override
    public boolean needsBackwardHookAt(long step) {
        // Pruning and gradient regrowth only at update steps; the steps between touch nothing.
        return isUpdateStep(step);
    }

    @Override
    public void afterBackward(TrainingContext context) {
        long step = context.step();
        if (!isUpdateStep(step)) {
            return;
        }
        double target = schedule.valueAt(step);
        if (target > currentSparsity) {
            List<NDArray> scores = Scores.magnitude(context.model());
            try {
                allocation.keepTopScores(context.model(), scores, 1 - target);
            } finally {
                Scores.close(scores);
            }
            currentSparsity = target;
        }
        if (step > 0 && step < regrowth.endStep()) {
            dropAndGrow.apply(context.model(), rates.valueAt(step), context.random());
        }
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
        return name() + " to sparsity " + sparsity + " from " + initialSparsity + ", every " + interval + " steps, "
                + "epochs " + startEpoch + " to " + (endEpoch == null ? DEFAULT_END_FRACTION + " of the run" : endEpoch)
                + ", drop rate " + dropRate + " cosine to " + minDropRate + " (" + allocation + ")";
    }

    /** Fluent settings for {@link GraNet}: global budget, dT = 100, r_0 = 0.5, r_min = 0.005. */
    public static final class Builder extends DynamicBuilder<Builder> {
        private final boolean sparseStart;
        private double initialSparsity;
        private double startEpoch;
        private Double endEpoch;
        private double minDropRate = 0.005;

        private Builder(boolean sparseStart) {
            super(Budget.GLOBAL, 100, 0.5, 1.0);
            this.sparseStart = sparseStart;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** The sparsity at the start of pruning: 0 for GraNet, the random ERK mask's for GraNet-ST (0.5). */
        public Builder initialSparsity(double initialSparsity) {
            this.initialSparsity = initialSparsity;
            return this;
        }

        /** The (fractional) epoch pruning starts at; 0 by default. */
        public Builder startEpoch(double epoch) {
            this.startEpoch = epoch;
            return this;
        }

        /** The (fractional) epoch the final sparsity is reached at; half the run by default. */
        public Builder endEpoch(double epoch) {
            this.endEpoch = epoch;
            return this;
        }

        /** The drop rate the cosine decays to at the end of the run; 0.005 by default. */
        public Builder minDropRate(double rate) {
            this.minDropRate = rate;
            return this;
        }

        /** Validates and builds. */
        public GraNet build() {
            String name = sparseStart ? "granet-st" : "granet";
            double sparsity = validSparsity(name);
            Validate.sparsity("initial sparsity", initialSparsity);
            if (initialSparsity > sparsity) {
                throw new IllegalArgumentException("initial sparsity " + initialSparsity
                        + " is above the final sparsity " + sparsity + ": expected <= " + sparsity);
            }
            if (sparseStart && initialSparsity == 0) {
                throw new IllegalArgumentException("granet-st initial sparsity 0.0 must be in (0, " + sparsity + "]");
            }
            if (!sparseStart && initialSparsity != 0) {
                throw new IllegalArgumentException("granet initial sparsity " + initialSparsity
                        + " must be 0 (it starts dense); use GraNet.st() for a sparse start");
            }
            Validate.nonNegative("start epoch", startEpoch);
            if (endEpoch != null && !(endEpoch > startEpoch)) {
                throw new IllegalArgumentException("end epoch " + endEpoch + " must be after the start epoch " + startEpoch);
            }
            double rate = validDropRate();
            if (!(minDropRate >= 0 && minDropRate <= rate)) {
                throw new IllegalArgumentException("minimum drop rate " + minDropRate + " is outside [0, " + rate + "]");
            }
            LayerAllocation allocation = validAllocation(name);
            if (allocation.budget() == Budget.GLOBAL && !allocation.pattern().equals(Pattern.unstructured())) {
                throw new IllegalArgumentException(name + ": budget global needs the unstructured pattern, got "
                        + allocation.pattern().name());
            }
            return new GraNet(this, sparsity, allocation);
        }
    }
}
