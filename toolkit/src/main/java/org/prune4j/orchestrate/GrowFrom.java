package org.prune4j.orchestrate;

import org.prune4j.gap.GapMasks;
import org.prune4j.gap.ModelState;
import org.prune4j.method.SparsityMethod;
import org.prune4j.method.TrainingContext;
import org.prune4j.train.TrainingSession;

import java.util.List;

/**
 * One P-GaP worker's (or the fine-tune's) method: start from a given state, grow the given layers (none
 * for the fine-tune, whose masks then stay fixed), and capture the state at the end of the last epoch.
 * Needs the trainer's {@link TrainingSession} as its context, to reach every parameter of the block.
 */
final class GrowFrom implements SparsityMethod {

    private final ModelState start;
    private final List<Integer> grow;
    private final double sparsity;
    private ModelState end;

    GrowFrom(ModelState start, List<Integer> grow, double sparsity) {
        this.start = start;
        this.grow = List.copyOf(grow);
        this.sparsity = sparsity;
    }

    @Override
    public String name() {
        return "pgap";
    }

    @Override
    public double targetSparsity() {
        return sparsity;
    }

    @Override
    public void onStart(TrainingContext context) {
        start.restore(session(context).block(), context.model());
        GapMasks.grow(context.model(), grow);
    }

    @Override
    public void onEpochEnd(TrainingContext context) {
        if (context.epoch() + 1 == context.epochs()) {
            end = ModelState.capture(session(context).block(), context.model());
        }
    }

    /** The state at the end of the last epoch. */
    ModelState end() {
        if (end == null) {
            throw new IllegalStateException("the worker has not finished its last epoch");
        }
        return end;
    }

    private static TrainingSession session(TrainingContext context) {
        if (!(context instanceof TrainingSession session)) {
            throw new IllegalStateException("P-GaP workers run inside a TrainingSession, got " + context.getClass().getName());
        }
        return session;
    }
}
