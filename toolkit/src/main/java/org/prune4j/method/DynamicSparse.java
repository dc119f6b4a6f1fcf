package org.prune4j.method;

import ai.djl.ndarray.NDArray;

import org.prune4j.schedule.Schedule;
import org.prune4j.schedule.Schedules;

import java.util.List;

/**
 * Dynamic sparse training from a random mask at the target sparsity: RigL (Evci et al. 2020) and SET
 * (Mocanu et al. 2018), methods.md "Baselines". The mask starts random with the layer budget (ERK by
 * default); every dT steps until a fraction of training (75%), each layer drops {@code ceil(r_t nnz)} of
 * its smallest-|w| survivors and regrows as many zero positions, by largest |grad| (RigL) or at random
 * (SET). The drop rate follows {@code r_t = 0.5 r_0 (1 + cos(pi t / T_end))}, r_0 = 0.3.
 *
 * <p>Choice: SET uses the same cosine decay and stopping point as RigL, as in the RigL authors' code
 * base that both baselines come from.
 */
public final class DynamicSparse implements SparsityMethod {

    private final String name;
    private final double sparsity;
    private final LayerAllocation allocation;
    private final DropAndGrow dropAndGrow;
    private final long interval;
    private final double dropRate;
    private final double updateUntil;
    private MaskUpdates updates;
    private Schedule rates;

    private DynamicSparse(Builder builder, double sparsity, LayerAllocation allocation) {
        this.name = builder.name;
        this.dropAndGrow = builder.dropAndGrow;
        this.sparsity = sparsity;
        this.allocation = allocation;
        this.interval = builder.validInterval();
        this.dropRate = builder.validDropRate();
        this.updateUntil = builder.validUpdateUntil();
    }

    /** RigL: gradient growth. The sparsity is required. */
    public static Builder rigl() {
        return new Builder("rigl", DropAndGrow.rigl());
    }

    /** SET: random growth. The sparsity is required. */
    public static Builder set() {
        return new Builder("set", DropAndGrow.set());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double targetSparsity() {
        return sparsity;
    }

    /** The layer budget and pattern of the starting mask (kept per layer by every update). */
    public LayerAllocation allocation() {
        return allocation;
    }

    /** The drop-rate schedule over optimizer steps for a run of this length (cosine to 0 at the last update). */
    public Schedule dropRates(int stepsPerEpoch, int epochs) {
        return Schedules.cosine(dropRate, 0, endStep(stepsPerEpoch, epochs));
    }

    /** When the masks change in a run of this length. */
    public MaskUpdates updates(int stepsPerEpoch, int epochs) {
        return new MaskUpdates(interval, 0, endStep(stepsPerEpoch, epochs));
    }

    private long endStep(int stepsPerEpoch, int epochs) {
        return Math.max(1, Math.round(updateUntil * stepsPerEpoch * epochs));
    }

    @Override
    public void onStart(TrainingContext context) {
        allocation.validate(context.model());
        updates = updates(context.stepsPerEpoch(), context.epochs());
        rates = dropRates(context.stepsPerEpoch(), context.epochs());
        List<NDArray> scores = Scores.random(context.model(), context.random());
        try {
            allocation.keepTopScores(context.model(), scores, 1 - sparsity);
        } finally {
            Scores.close(scores);
        }
    }

    @Override
    public boolean needsBackwardHookAt(long step) {
        // Drop and grow (RigL: by the dense gradient) only every dT steps; the steps between touch nothing.
        return updates == null || updates.isUpdateStep(step);
    }

    @Override
    public void afterBackward(TrainingContext context) {
        long step = context.step();
        if (updates.isUpdateStep(step)) {
            dropAndGrow.apply(context.model(), rates.valueAt(step), context.random());
        }
    }

    @Override
    public String describe() {
        return name + " at sparsity " + sparsity + " (" + allocation + "), " + dropAndGrow + " every " + interval
                + " steps, drop rate " + dropRate + " cosine to 0 at " + updateUntil + " of the run";
    }

    /** Fluent settings for RigL and SET: ERK, dT = 100, r_0 = 0.3, updates until 75% of training. */
    public static final class Builder extends DynamicBuilder<Builder> {
        private final String name;
        private final DropAndGrow dropAndGrow;

        private Builder(String name, DropAndGrow dropAndGrow) {
            super(Budget.ERK, 100, 0.3, 0.75);
            this.name = name;
            this.dropAndGrow = dropAndGrow;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Validates and builds. */
        public DynamicSparse build() {
            double sparsity = validSparsity(name);
            return new DynamicSparse(this, sparsity, validAllocation(name));
        }
    }
}
