package org.prune4j.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

import java.util.ArrayList;
import java.util.List;

/**
 * Lottery-ticket iterative magnitude pruning (Frankle and Carbin 2019; rewinding: Frankle et al. 2020),
 * methods.md "LTH / IMP": train, prune a fraction p (20%) of the remaining weights by magnitude, rewind
 * the survivors to their initial values (or their values at step k), and repeat.
 *
 * <p>Choices, so that one run holds the whole procedure: the run's epochs are split into {@code rounds}
 * equal parts (round i ends at epoch {@code round(i E / R)}); the first round trains dense, and at each
 * round boundary the mask keeps {@code (1 - p)^i} of the weights (so the final sparsity is
 * {@code 1 - (1 - p)^(R - 1)}), every parameter (weights, biases, BatchNorm) is rewound to the copy kept on
 * the device at step k (0: the initialisation), and the optimizer state is zeroed. The boundary work happens
 * at the after-backward event of the round's first step, after the previous epoch was evaluated; that
 * step's gradients (computed before rewinding) are zeroed, so it applies only weight decay. The learning
 * rate schedule runs once over the whole run instead of restarting each round, and the optimizer's update
 * counter is not reset.
 */
public final class LotteryTicket implements SparsityMethod, Resumable {

    private final int rounds;
    private final double pruneFraction;
    private final long rewindStep;
    private final LayerAllocation allocation;
    private long[] boundaries;
    private NDManager snapshotManager;
    private List<NDArray> snapshot;

    private LotteryTicket(int rounds, double pruneFraction, long rewindStep, LayerAllocation allocation) {
        this.rounds = rounds;
        this.pruneFraction = pruneFraction;
        this.rewindStep = rewindStep;
        this.allocation = allocation;
    }

    /** Starts an IMP configuration: 3 rounds, 20% per round, rewinding to the initialisation. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "lth";
    }

    @Override
    public double targetSparsity() {
        return 1 - Math.pow(1 - pruneFraction, rounds - 1);
    }

    /** Rounds of training. */
    public int rounds() {
        return rounds;
    }

    /** The fraction of the remaining weights pruned at each round boundary. */
    public double pruneFraction() {
        return pruneFraction;
    }

    /** The step whose weights survivors are rewound to (0: the initial weights). */
    public long rewindStep() {
        return rewindStep;
    }

    /** The first step of each round after the first, for a run of this length. */
    public long[] roundStarts(int stepsPerEpoch, int epochs) {
        if (epochs < rounds) {
            throw new IllegalArgumentException("lth with " + rounds + " rounds needs at least " + rounds
                    + " epochs, got " + epochs);
        }
        long[] starts = new long[rounds - 1];
        for (int i = 1; i < rounds; i++) {
            starts[i - 1] = Math.round((double) i * epochs / rounds) * stepsPerEpoch;
        }
        if (rewindStep >= starts[0]) {
            throw new IllegalArgumentException("lth rewind step " + rewindStep + " is not before the end of the first round: expected < "
                    + starts[0]);
        }
        return starts;
    }

    @Override
    public void onStart(TrainingContext context) {
        allocation.validate(context.model());
        boundaries = roundStarts(context.stepsPerEpoch(), context.epochs());
        closeSnapshot();
        if (rewindStep == 0) {
            takeSnapshot(context);
        }
    }

    @Override
    public void afterStep(TrainingContext context) {
        if (rewindStep > 0 && context.step() == rewindStep) {
            takeSnapshot(context);
        }
    }

    @Override
    public void afterBackward(TrainingContext context) {
        long step = context.step();
        for (int i = 0; i < boundaries.length; i++) {
            if (step == boundaries[i]) {
                pruneAndRewind(context, i + 1);
                if (i == boundaries.length - 1) {
                    closeSnapshot();
                }
                return;
            }
        }
    }

    private void pruneAndRewind(TrainingContext context, int round) {
        List<NDArray> scores = Scores.magnitude(context.model());
        try {
            allocation.keepTopScores(context.model(), scores, Math.pow(1 - pruneFraction, round));
        } finally {
            Scores.close(scores);
        }
        List<NDArray> parameters = context.parameterArrays();
        for (int i = 0; i < parameters.size(); i++) {
            NDArray values = parameters.get(i);
            // In place: 0 * w + w0 is exactly w0 for finite weights.
            values.muli(0).addi(snapshot.get(i));
            if (values.hasGradient()) {
                try (NDArray gradient = values.getGradient()) {
                    gradient.muli(0);
                }
            }
        }
        context.model().applyMasks();
        context.resetOptimizerState();
    }

    private void takeSnapshot(TrainingContext context) {
        List<NDArray> parameters = context.parameterArrays();
        snapshotManager = parameters.get(0).getManager().newSubManager();
        snapshot = new ArrayList<>(parameters.size());
        for (NDArray values : parameters) {
            NDArray copy = values.duplicate();
            copy.attach(snapshotManager);
            // Taken at step k inside the step's scope, which would close it at the end of the step.
            NDScope.unregister(copy);
            snapshot.add(copy);
        }
    }

    /** The rewind weights, while they are still needed. */
    @Override
    public void saveState(MethodState state) {
        state.put("snapshot", snapshot != null);
        if (snapshot != null) {
            for (int i = 0; i < snapshot.size(); i++) {
                state.putTensor("rewind" + i, snapshot.get(i));
            }
        }
    }

    @Override
    public void restoreState(MethodState state, TrainingContext context) {
        closeSnapshot();
        if (!state.getBoolean("snapshot")) {
            return;
        }
        List<NDArray> parameters = context.parameterArrays();
        snapshotManager = parameters.get(0).getManager().newSubManager();
        snapshot = new ArrayList<>(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            snapshot.add(state.copyOfTensor("rewind" + i, snapshotManager));
        }
    }

    private void closeSnapshot() {
        if (snapshotManager != null) {
            snapshotManager.close();
            snapshotManager = null;
            snapshot = null;
        }
    }

    @Override
    public String describe() {
        return "lth: " + rounds + " rounds, prune " + pruneFraction + " of the remaining per round to sparsity "
                + String.format(java.util.Locale.ROOT, "%.4f", targetSparsity()) + ", rewind to step " + rewindStep
                + " (" + allocation + ")";
    }

    /**
     * Fluent settings for {@link LotteryTicket}: layer-wise (uniform) by default, as Frankle and Carbin
     * prune LeNet. Give either the prune fraction (0.2 by default) or a final sparsity, from which the
     * fraction per round is derived: {@code p = 1 - (1 - s)^(1 / (R - 1))}.
     */
    public static final class Builder extends AllocationBuilder<Builder> {
        private int rounds = 3;
        private Double pruneFraction;
        private long rewindStep;

        private Builder() {
            super(Budget.UNIFORM);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Rounds of training, at least 2 (one dense round, then one per pruning); 3 by default. */
        public Builder rounds(int rounds) {
            this.rounds = rounds;
            return this;
        }

        /** The fraction of the remaining weights pruned per round, in (0, 1); 0.2 by default. */
        public Builder pruneFraction(double fraction) {
            this.pruneFraction = fraction;
            return this;
        }

        /** The step survivors are rewound to, at least 0 (0: the initial weights). */
        public Builder rewindStep(long step) {
            this.rewindStep = step;
            return this;
        }

        /** Validates and builds. */
        public LotteryTicket build() {
            if (rounds < 2) {
                throw new IllegalArgumentException("lth rounds " + rounds + " must be at least 2");
            }
            if (rewindStep < 0) {
                throw new IllegalArgumentException("lth rewind step " + rewindStep + " must be >= 0");
            }
            Double sparsity = sparsityOrNull();
            double fraction;
            if (sparsity != null && pruneFraction != null) {
                throw new IllegalArgumentException("lth: give either the sparsity (" + sparsity
                        + ") or the prune fraction (" + pruneFraction + "), not both");
            } else if (sparsity != null) {
                Validate.sparsity("sparsity", sparsity);
                if (sparsity == 0) {
                    throw new IllegalArgumentException("lth sparsity 0.0 is outside (0, 1)");
                }
                fraction = 1 - Math.pow(1 - sparsity, 1.0 / (rounds - 1));
            } else {
                fraction = pruneFraction == null ? 0.2 : pruneFraction;
                if (!(fraction > 0 && fraction < 1)) {
                    throw new IllegalArgumentException("lth prune fraction " + fraction + " is outside (0, 1)");
                }
            }
            return new LotteryTicket(rounds, fraction, rewindStep, validAllocation("lth"));
        }
    }
}
