package org.prune4j.method;

import ai.djl.ndarray.NDArray;


import java.util.List;

/**
 * A fixed random mask drawn at the start (uniform, ER or ERK layer budgets) and never changed: the
 * "static" baseline of the dynamic-sparse-training papers.
 */
public final class StaticMask implements SparsityMethod {

    private final double sparsity;
    private final LayerAllocation allocation;

    private StaticMask(double sparsity, LayerAllocation allocation) {
        this.sparsity = sparsity;
        this.allocation = allocation;
    }

    /** Starts a static-mask configuration; the sparsity is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean needsBackwardHookAt(long step) {
        // Chosen at the start, never changed: every step can take the sparse kernel.
        return false;
    }

    @Override
    public String name() {
        return "static";
    }

    @Override
    public double targetSparsity() {
        return sparsity;
    }

    /** The layer budget and pattern. */
    public LayerAllocation allocation() {
        return allocation;
    }

    @Override
    public void onStart(TrainingContext context) {
        allocation.validate(context.model());
        List<NDArray> scores = Scores.random(context.model(), context.random());
        try {
            allocation.keepTopScores(context.model(), scores, 1 - sparsity);
        } finally {
            Scores.close(scores);
        }
    }

    @Override
    public String describe() {
        return "static random mask at sparsity " + sparsity + " (" + allocation + ")";
    }

    /** Fluent settings for {@link StaticMask}; ERK by default, as in the RigL paper. */
    public static final class Builder extends AllocationBuilder<Builder> {

        private Builder() {
            super(Budget.ERK);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Validates and builds. */
        public StaticMask build() {
            return new StaticMask(validSparsity("static mask"), validAllocation("static mask"));
        }
    }
}
