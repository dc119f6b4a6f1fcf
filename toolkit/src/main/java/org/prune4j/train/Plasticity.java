package org.prune4j.train;

import org.prune4j.data.DataSplit;
import org.prune4j.method.Dense;
import org.prune4j.method.Gmp;
import org.prune4j.method.GraNet;
import org.prune4j.method.SparsityMethod;
import org.prune4j.optim.OptimizerSpec;
import org.prune4j.report.EpochStats;
import org.prune4j.report.Run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Pruning plasticity, the analysis of the GraNet paper (Liu et al. 2021, section 3): how well a network recovers
 * from one-shot pruning at different points of training, with and without zero-cost neuroregeneration.
 *
 * <p>For each epoch e of {@link Builder#pruneAt}: train dense for e epochs, prune one-shot to the target sparsity
 * by global magnitude, then train k more epochs ({@link Builder#recoveryEpochs}) either with the mask fixed
 * (GMP with a one-interval window) or with GraNet's drop-and-regrow every dT (its cosine drop rate). Plasticity is
 * the recovered test accuracy minus the dense model's test accuracy at the epoch of pruning, both from the same
 * seed: a dense reference run supplies the accuracy at every epoch. Every run follows the same learning-rate
 * policy over absolute epochs (give step drops such as {@code lrDropAt(10, 15)}), so a late prune recovers at
 * the rate the full run would have there, which is what the paper's analysis is about.
 *
 * <p>The prune happens at step e * stepsPerEpoch exactly: the pruning window is the one update interval before
 * it, whose first update (at sparsity 0) changes nothing. Differences from the paper's protocol: GraNet's drop
 * rate decays over each run's own e + k epochs (the paper's over the full run), and plasticity is measured on the
 * test set at the end of the k epochs, with no held-out split.
 */
public final class Plasticity {

    private final Builder builder;

    private Plasticity(Builder builder) {
        this.builder = builder;
    }

    /** Starts an analysis of a zoo model on a dataset; {@link Builder#pruneAt} is required. */
    public static Builder of(String modelName, DataSplit data) {
        return new Builder(modelName, data);
    }

    /** The epochs of pruning, ascending. */
    public int[] pruneEpochs() {
        return builder.pruneAt.clone();
    }

    /** The total epochs of the run pruned at epoch {@code e}: e + k. */
    public int epochsFor(int pruneEpoch) {
        return pruneEpoch + builder.recoveryEpochs;
    }

    /** The one-shot pruning without regeneration at epoch {@code e}: global GMP with a one-interval window. */
    public SparsityMethod withoutRegeneration(int pruneEpoch, int stepsPerEpoch) {
        double[] window = window(pruneEpoch, stepsPerEpoch);
        return Gmp.builder().sparsity(builder.sparsity).startEpoch(window[0]).endEpoch(window[1])
                .every(builder.interval).build();
    }

    /** The same pruning followed by GraNet's zero-cost neuroregeneration every dT to the end of the run. */
    public SparsityMethod withRegeneration(int pruneEpoch, int stepsPerEpoch) {
        double[] window = window(pruneEpoch, stepsPerEpoch);
        return GraNet.builder().sparsity(builder.sparsity).startEpoch(window[0]).endEpoch(window[1])
                .every(builder.interval).build();
    }

    /**
     * The pruning window [e - dT/stepsPerEpoch, e] in epochs.
     *
     * @throws IllegalArgumentException if epoch e starts within the first dT steps
     */
    double[] window(int pruneEpoch, int stepsPerEpoch) {
        long pruneStep = (long) pruneEpoch * stepsPerEpoch;
        if (pruneStep < builder.interval) {
            throw new IllegalArgumentException("prune epoch " + pruneEpoch + " is step " + pruneStep
                    + ", within the first interval of " + builder.interval + " steps: expected a later epoch or a smaller --interval");
        }
        return new double[] {pruneEpoch - (double) builder.interval / stepsPerEpoch, pruneEpoch};
    }

    /** Trains the dense reference and two runs per epoch of pruning, in order; returns the result. */
    public PlasticityResult run() {
        int stepsPerEpoch = (builder.data.train().size() + builder.batchSize - 1) / builder.batchSize;
        for (int e : builder.pruneAt) {
            window(e, stepsPerEpoch);
        }
        int longest = builder.pruneAt[builder.pruneAt.length - 1] + builder.recoveryEpochs;
        Run dense = train(new Dense(), longest);
        List<EpochStats> history = dense.historyRows();
        List<PlasticityResult.Row> rows = new ArrayList<>();
        for (int e : builder.pruneAt) {
            Run without = train(withoutRegeneration(e, stepsPerEpoch), epochsFor(e));
            Run with = train(withRegeneration(e, stepsPerEpoch), epochsFor(e));
            rows.add(new PlasticityResult.Row(e, history.get(e - 1).testAccuracy(),
                    history.get(epochsFor(e) - 1).testAccuracy(), without.testAccuracy(), with.testAccuracy(),
                    without.measuredSparsity(), with.measuredSparsity()));
        }
        return new PlasticityResult(builder.sparsity, builder.recoveryEpochs, rows);
    }

    private Run train(SparsityMethod method, int epochs) {
        SparseTraining training = SparseTraining.of(builder.modelName, builder.data).method(method).epochs(epochs)
                .batchSize(builder.batchSize).seed(builder.seed);
        if (builder.optimizer != null) {
            training.optimizer(builder.optimizer);
        }
        if (builder.progress != null) {
            training.progress(builder.progress);
        }
        return training.fit();
    }

    /** Fluent settings for {@link Plasticity}, validated at {@link #build()}. */
    public static final class Builder {
        private final String modelName;
        private final DataSplit data;
        private double sparsity = 0.9;
        private int[] pruneAt;
        private int recoveryEpochs = 2;
        private long interval = 100;
        private int batchSize = 128;
        private long seed = 1;
        private OptimizerSpec optimizer;
        private Progress progress;

        private Builder(String modelName, DataSplit data) {
            SparseTraining.of(modelName, data);
            this.modelName = modelName;
            this.data = Objects.requireNonNull(data, "data");
        }

        /** The one-shot sparsity; 0.9 by default. */
        public Builder sparsity(double sparsity) {
            this.sparsity = sparsity;
            return this;
        }

        /** The epochs after which the model is pruned (each >= 1, increasing). Required. */
        public Builder pruneAt(int... epochs) {
            this.pruneAt = epochs.clone();
            return this;
        }

        /** Epochs of training after the prune, k; 2 by default. */
        public Builder recoveryEpochs(int epochs) {
            this.recoveryEpochs = epochs;
            return this;
        }

        /** dT: steps between GraNet's drop-and-regrow updates; 100 by default. */
        public Builder interval(long steps) {
            this.interval = steps;
            return this;
        }

        /** Mini-batch size; 128 by default (the papers'). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** The seed of every run; 1 by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The optimizer of every run; the zoo model's default when not set. */
        public Builder optimizer(OptimizerSpec optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /** How each run shows progress. */
        public Builder progress(Progress progress) {
            this.progress = progress;
            return this;
        }

        /**
         * The analysis.
         *
         * @throws IllegalArgumentException naming the bad value and the allowed range
         */
        public Plasticity build() {
            if (!(sparsity > 0 && sparsity < 1)) {
                throw new IllegalArgumentException("plasticity sparsity " + sparsity + " is outside (0, 1)");
            }
            if (pruneAt == null || pruneAt.length == 0) {
                throw new IllegalArgumentException("plasticity needs the epochs to prune at, such as 2, 4, 6");
            }
            for (int i = 0; i < pruneAt.length; i++) {
                if (pruneAt[i] < 1 || (i > 0 && pruneAt[i] <= pruneAt[i - 1])) {
                    throw new IllegalArgumentException("prune epochs " + Arrays.toString(pruneAt)
                            + " must be >= 1 and increasing");
                }
            }
            if (recoveryEpochs < 1) {
                throw new IllegalArgumentException("recovery epochs " + recoveryEpochs + " is out of range: expected >= 1");
            }
            if (interval < 1) {
                throw new IllegalArgumentException("interval " + interval + " is out of range: expected >= 1 step");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size " + batchSize + " is out of range: expected >= 1");
            }
            return new Plasticity(this);
        }
    }
}
