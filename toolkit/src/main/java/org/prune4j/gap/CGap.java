package org.prune4j.gap;

import ai.djl.ndarray.NDArray;

import org.knowm.xchart.XYChart;
import org.prune4j.density.LayerShape;
import org.prune4j.method.Budget;
import org.prune4j.method.LayerAllocation;
import org.prune4j.method.Scores;
import org.prune4j.method.MethodState;
import org.prune4j.method.ResumableRandom;
import org.prune4j.method.Resumable;
import org.prune4j.method.SparsityMethod;
import org.prune4j.method.TrainingContext;
import org.prune4j.model.SparseModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import tech.tablesaw.api.Table;

/**
 * Cyclic grow-and-prune, C-GaP (methods.md, "GaP"): start from a random mask at the target; in each step
 * of T epochs one partition has no mask and trains dense while the others stay at target; at the next step
 * boundary (an epoch end) the grown partition is magnitude-pruned back to exactly its target count and the
 * next partition grows. After R rounds of K steps every layer is at target and the last F epochs fine-tune
 * with the mask fixed. The run must have K·T·R + F epochs.
 *
 * <p>Learning rate: any optimizer policy over the whole run; constant ({@code Optimizers.sgd().lr(x)}),
 * cosine ({@code .cosineLr()}), linear ({@code .linearLr()}) or step ({@code .lrDropAt(...)}).
 *
 * <pre>{@code
 * CGap cgap = CGap.builder().sparsity(0.9).partitions(3).stepEpochs(1).rounds(2).finetuneEpochs(1).build();
 * SparseTraining.of("lenet300", data).method(cgap).epochs(cgap.schedule().totalEpochs()).fit();
 * }</pre>
 */
public final class CGap implements SparsityMethod, Resumable {

    private final double sparsity;
    private final LayerAllocation allocation;
    private final GapSchedule schedule;
    private final Partitioning partitioning;
    private final boolean global;
    private long[] keep;
    private List<List<Integer>> groups = List.of();
    private List<Integer> grown = List.of();
    private ResumableRandom partitionRandom;

    private CGap(Builder builder, double sparsity, LayerAllocation allocation) {
        this.sparsity = sparsity;
        this.global = allocation.budget() == Budget.GLOBAL;
        // The non-uniform variant starts from uniform per-layer counts; only pruning back is global.
        this.allocation = global ? new LayerAllocation(Budget.UNIFORM, allocation.pattern(), allocation.keepFirstDense(),
                allocation.keepLastDense()) : allocation;
        this.schedule = builder.validSchedule();
        this.partitioning = builder.partitioning;
    }

    /** Starts a C-GaP configuration; the sparsity is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "cgap";
    }

    @Override
    public double targetSparsity() {
        return sparsity;
    }

    /** K, T, R and F. */
    public GapSchedule schedule() {
        return schedule;
    }

    /** How layers are split. */
    public Partitioning partitioning() {
        return partitioning;
    }

    /** Whether pruning back uses one global threshold (the non-uniform variant). */
    public boolean nonUniform() {
        return global;
    }

    /** The layers grown now (no mask), or an empty list outside a grow step. */
    public List<Integer> grownLayers() {
        return grown;
    }

    /** The partitions of the current round. */
    public List<List<Integer>> partitions() {
        return groups;
    }

    /** Weights each layer keeps at the target, known once training started. */
    public long[] targetKeepCounts() {
        return keep.clone();
    }

    /** The schedule as a table for a model's layers, before training (first-round partitions for random). */
    public Table scheduleTable(List<LayerShape> shapes) {
        GapPlan plan = plan(shapes);
        return schedule.table(plan.names(), plan.sizes(), plan.keep(), plan.groups());
    }

    /** The schedule as a chart for a model's layers, before training (first-round partitions for random). */
    public XYChart scheduleChart(List<LayerShape> shapes) {
        GapPlan plan = plan(shapes);
        return schedule.chart("C-GaP schedule (" + schedule + ", sparsity " + sparsity + ")", plan.sizes(), plan.keep(),
                plan.groups());
    }

    /**
     * Which partition is dense when, as a timeline chart for a model's layers, before training (first-round
     * partitions for a random partitioning).
     */
    public XYChart timelineChart(List<LayerShape> shapes) {
        GapPlan plan = plan(shapes);
        return schedule.timeline("C-GaP timeline (" + schedule + "): which partition is dense when", plan.names(),
                plan.groups());
    }

    private GapPlan plan(List<LayerShape> shapes) {
        return GapPlan.of(shapes, allocation, sparsity, partitioning, schedule.partitions());
    }

    @Override
    public void onStart(TrainingContext context) {
        schedule.checkEpochs("cgap", context.epochs());
        SparseModel model = context.model();
        allocation.validate(model);
        keep = allocation.keepCounts(model, 1 - sparsity);
        List<NDArray> scores = Scores.random(model, context.random());
        try {
            allocation.keepTopScores(model, scores, 1 - sparsity);
        } finally {
            Scores.close(scores);
        }
        partitionRandom = new ResumableRandom(context.random().nextLong());
        groups = partitioning.split(model.names(), GapMasks.sizes(model), schedule.partitions(), partitionRandom, List.of());
        grow(model, 0);
    }

    private void grow(SparseModel model, int slot) {
        grown = groups.get(slot);
        GapMasks.grow(model, grown);
    }

    /** Step boundaries fall on epoch ends: prune the grown partition back, then grow the next one. */
    @Override
    public void onEpochEnd(TrainingContext context) {
        int finished = context.epoch() + 1;
        if (finished > schedule.growEpochs() || finished % schedule.stepEpochs() != 0) {
            return;
        }
        SparseModel model = context.model();
        GapMasks.pruneToTarget(model, allocation, keep, grown, global);
        List<Integer> last = grown;
        grown = List.of();
        int step = finished / schedule.stepEpochs();
        if (step < schedule.steps()) {
            int slot = step % schedule.partitions();
            if (slot == 0 && partitioning.redrawsEachRound()) {
                groups = partitioning.split(model.names(), GapMasks.sizes(model), schedule.partitions(), partitionRandom, last);
            }
            grow(model, slot);
        } else if (global) {
            // Every layer to target with one threshold over all of them (the non-uniform variant's final prune).
            GapMasks.pruneToTarget(model, allocation, keep, allLayers(model), true);
        }
    }

    /** The current partitions, the grown one and the partition-drawing random source. */
    @Override
    public void saveState(MethodState state) {
        state.putLists("partitions", groups);
        state.putLists("grown", List.of(grown));
        state.put("partitionRandom", partitionRandom.state());
    }

    @Override
    public void restoreState(MethodState state, TrainingContext context) {
        groups = state.getLists("partitions");
        grown = state.getLists("grown").get(0);
        partitionRandom.restore(state.getLongs("partitionRandom"));
    }

    /** The indices of every masked layer of the model: 0, 1, ..., n - 1. */
    public static List<Integer> allLayers(SparseModel model) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < model.weights().size(); i++) {
            all.add(i);
        }
        return all;
    }

    @Override
    public String describe() {
        return "cgap to sparsity " + sparsity + ", " + schedule + ", " + partitioning + " partitions, "
                + (global ? "non-uniform (global) prune-back" : allocation + " prune-back");
    }

    /** Fluent settings for {@link CGap}. */
    public static final class Builder extends GapBuilder<Builder> {

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** Validates and builds. */
        public CGap build() {
            double sparsity = validSparsity("cgap");
            return new CGap(this, sparsity, validAllocation("cgap"));
        }
    }
}
