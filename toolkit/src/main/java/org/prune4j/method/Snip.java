package org.prune4j.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.util.ArrayList;
import java.util.List;

/**
 * SNIP (Lee et al. 2019), methods.md "Baselines": one-shot pruning at initialisation by the connection
 * sensitivity |g * w|, kept top-k over all layers together (global budget by default), then a fixed mask.
 *
 * <p>Choice of event: gradients exist only after a backward pass, so the scores are read at the
 * after-backward event of the first step, before its optimizer update: with one batch (the default) the
 * mask is exactly SNIP's, computed from the initial weights and the first mini-batch, and the first update
 * already trains the sparse network. With {@code batches = k > 1}, |g * w| is summed over the first k
 * mini-batches and the model trains dense during the first k - 1 steps (the weights move a little from
 * their initial values before the mask is chosen at step k - 1).
 */
public final class Snip implements SparsityMethod, Resumable {

    private final double sparsity;
    private final int batches;
    private final LayerAllocation allocation;
    private List<NDArray> sums;

    private Snip(double sparsity, int batches, LayerAllocation allocation) {
        this.sparsity = sparsity;
        this.batches = batches;
        this.allocation = allocation;
    }

    /** Starts a SNIP configuration; the sparsity is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "snip";
    }

    @Override
    public double targetSparsity() {
        return sparsity;
    }

    /** The layer budget (global by default) and pattern. */
    public LayerAllocation allocation() {
        return allocation;
    }

    /** The number of mini-batches the scores are summed over. */
    public int batches() {
        return batches;
    }

    @Override
    public void onStart(TrainingContext context) {
        allocation.validate(context.model());
        if (batches > context.totalSteps()) {
            throw new IllegalArgumentException("snip batches " + batches + " is more than the run's "
                    + context.totalSteps() + " steps");
        }
        closeSums();
        sums = new ArrayList<>();
    }

    @Override
    public boolean needsBackwardHookAt(long step) {
        // The mask is chosen from the gradients of the first `batches` steps, then fixed.
        return step < batches;
    }

    @Override
    public void afterBackward(TrainingContext context) {
        long step = context.step();
        if (step >= batches || sums == null) {
            return;
        }
        SparseModel model = context.model();
        for (MaskedWeight weight : model.weights()) {
            NDArray values = model.values(weight);
            NDArray score;
            try (NDScope ignored = new NDScope()) {
                NDArray gradient = values.getGradient();
                score = gradient.mul(values).abs();
                NDScope.unregister(score);
            }
            if (sums.size() <= weight.index()) {
                sums.add(score);
            } else {
                sums.get(weight.index()).addi(score);
                score.close();
            }
        }
        if (step == batches - 1) {
            try {
                allocation.keepTopScores(model, sums, 1 - sparsity);
            } finally {
                closeSums();
            }
        }
    }

    /** Whether scores are still being summed (the mask is not chosen yet), and the partial sums. */
    @Override
    public void saveState(MethodState state) {
        state.put("scoring", sums != null);
        if (sums != null) {
            for (int i = 0; i < sums.size(); i++) {
                state.putTensor("sum" + i, sums.get(i));
            }
        }
    }

    @Override
    public void restoreState(MethodState state, TrainingContext context) {
        closeSums();
        if (!state.getBoolean("scoring")) {
            return;
        }
        sums = new ArrayList<>();
        SparseModel model = context.model();
        for (MaskedWeight weight : model.weights()) {
            if (state.tensor("sum" + weight.index()) != null) {
                sums.add(state.copyOfTensor("sum" + weight.index(), model.values(weight).getManager()));
            }
        }
    }

    private void closeSums() {
        if (sums != null) {
            Scores.close(sums);
            sums = null;
        }
    }

    @Override
    public String describe() {
        return "snip at sparsity " + sparsity + ", |g*w| over " + batches + " batch" + (batches == 1 ? "" : "es")
                + " (" + allocation + ")";
    }

    /** Fluent settings for {@link Snip}: global budget, one batch. */
    public static final class Builder extends AllocationBuilder<Builder> {
        private int batches = 1;

        private Builder() {
            super(Budget.GLOBAL);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Mini-batches the sensitivity is summed over, at least 1; 1 by default. */
        public Builder batches(int batches) {
            this.batches = batches;
            return this;
        }

        /** Validates and builds. */
        public Snip build() {
            double sparsity = validSparsity("snip");
            Validate.positive("snip batches", batches);
            return new Snip(sparsity, batches, validAllocation("snip"));
        }
    }
}
