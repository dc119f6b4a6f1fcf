package org.prune4j.method;

import ai.djl.ndarray.NDArray;

import org.prune4j.mask.Pattern;

import java.util.List;

/**
 * A fixed random mask drawn at the start (uniform, ER or ERK layer budgets) and never changed: the
 * "static" baseline of the dynamic-sparse-training papers.
 */
public final class StaticMask implements SparsityMethod {

    private final double sparsity;
    private final LayerAllocation allocation;

    private StaticMask(Builder builder) {
        this.sparsity = builder.sparsity;
        this.allocation = new LayerAllocation(builder.budget, builder.pattern, builder.keepFirstDense, builder.keepLastDense);
    }

    /** Starts a static-mask configuration; the sparsity is required. */
    public static Builder builder() {
        return new Builder();
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

    /** Fluent settings for {@link StaticMask}. */
    public static final class Builder {
        private Double sparsity;
        private Budget budget = Budget.ERK;
        private Pattern pattern = Pattern.unstructured();
        private boolean keepFirstDense;
        private boolean keepLastDense;

        private Builder() {}

        /** Fraction of masked weights that are zero, in [0, 1). Required. */
        public Builder sparsity(double sparsity) {
            this.sparsity = sparsity;
            return this;
        }

        /** How the sparsity is shared among layers; ERK by default, as in the RigL paper. */
        public Builder budget(Budget budget) {
            this.budget = budget;
            return this;
        }

        /** The mask pattern; unstructured by default. */
        public Builder pattern(Pattern pattern) {
            this.pattern = pattern;
            return this;
        }

        /** Keeps the first maskable layer dense. */
        public Builder keepFirstDense(boolean keep) {
            this.keepFirstDense = keep;
            return this;
        }

        /** Keeps the last maskable layer (the classifier) dense. */
        public Builder keepLastDense(boolean keep) {
            this.keepLastDense = keep;
            return this;
        }

        /** Validates and builds. */
        public StaticMask build() {
            if (sparsity == null) {
                throw new IllegalArgumentException("static mask: sparsity is required, in [0, 1)");
            }
            Validate.sparsity("sparsity", sparsity);
            if (budget == null || pattern == null) {
                throw new IllegalArgumentException("static mask: budget and pattern must not be null");
            }
            return new StaticMask(this);
        }
    }
}
