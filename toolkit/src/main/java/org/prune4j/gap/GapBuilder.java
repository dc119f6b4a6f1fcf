package org.prune4j.gap;

import org.prune4j.method.AllocationBuilder;
import org.prune4j.method.Budget;

import java.util.Objects;

/**
 * The settings C-GaP and P-GaP share: target sparsity and layer budget (from {@link AllocationBuilder}),
 * the schedule K, T, R, F, and the partitioning. {@link Budget#GLOBAL} selects the non-uniform variant:
 * per-layer targets start uniform, and pruning back uses one magnitude threshold over the pruned layers.
 *
 * @param <T> the concrete builder
 */
public abstract class GapBuilder<T extends GapBuilder<T>> extends AllocationBuilder<T> {

    int partitions = 3;
    int stepEpochs = 1;
    int rounds = 1;
    int finetuneEpochs;
    Partitioning partitioning = Partitioning.contiguous();

    /** Starts at the uniform budget, K = 3, T = 1, R = 1, F = 0, contiguous partitions. */
    protected GapBuilder() {
        super(Budget.UNIFORM);
    }

    /** K, the number of partitions; 3 by default (or the number of explicit groups). */
    public T partitions(int k) {
        this.partitions = k;
        return self();
    }

    /** T, the epochs one partition stays grown; 1 by default. */
    public T stepEpochs(int epochs) {
        this.stepEpochs = epochs;
        return self();
    }

    /** R, rounds of K steps; 1 by default. */
    public T rounds(int rounds) {
        this.rounds = rounds;
        return self();
    }

    /** F, final epochs with every layer at target and the mask fixed; 0 by default. */
    public T finetuneEpochs(int epochs) {
        this.finetuneEpochs = epochs;
        return self();
    }

    /** The partitioning set so far. */
    public Partitioning partitioning() {
        return partitioning;
    }

    /** How layers are split into partitions; contiguous by default. */
    public T partitioning(Partitioning partitioning) {
        this.partitioning = Objects.requireNonNull(partitioning, "partitioning");
        if (partitioning.fixedCount() > 0) {
            this.partitions = partitioning.fixedCount();
        }
        return self();
    }

    /** The schedule K, T, R, F, checked. */
    public GapSchedule validSchedule() {
        return new GapSchedule(partitions, stepEpochs, rounds, finetuneEpochs);
    }
}
