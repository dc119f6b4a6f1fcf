package org.prune4j.bench;

import org.prune4j.method.SparsityMethod;
import org.prune4j.method.TrainingContext;

import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * A sparsity method whose mask updates are timed apart from the steps around them, so a benchmark can
 * report a step without its updates and one update on its own. The update is the method's own
 * after-backward hook at its update steps (where gradients are readable: GraNet's and RigL's
 * drop-and-regrow), plus an optional extra action run there (a re-selection that a method in steady
 * state would skip). Every other hook is passed through untimed.
 *
 * <p>Only for methods that need no forward-pass transform: the decorator does not forward
 * {@link org.prune4j.nn.WeightTransform}.
 */
final class TimedUpdates implements SparsityMethod {

    private final SparsityMethod method;
    private final LongPredicate isUpdateStep;
    private final Consumer<TrainingContext> extraUpdate;
    private long nanos;
    private long updates;

    /**
     * @param method       the method whose hooks run
     * @param isUpdateStep whether the after-backward hook at a step (steps completed) is an update
     * @param extraUpdate  run after the method's hook at update steps, inside the timing; may do nothing
     */
    TimedUpdates(SparsityMethod method, LongPredicate isUpdateStep, Consumer<TrainingContext> extraUpdate) {
        this.method = method;
        this.isUpdateStep = isUpdateStep;
        this.extraUpdate = extraUpdate;
    }

    /** Nanoseconds spent in updates so far. */
    long nanos() {
        return nanos;
    }

    /** Updates timed so far. */
    long updates() {
        return updates;
    }

    @Override
    public String name() {
        return method.name();
    }

    @Override
    public double targetSparsity() {
        return method.targetSparsity();
    }

    @Override
    public void onStart(TrainingContext context) {
        method.onStart(context);
    }

    @Override
    public void afterBackward(TrainingContext context) {
        if (!isUpdateStep.test(context.step())) {
            method.afterBackward(context);
            return;
        }
        StepBenchmark.sync(context.model());
        long start = System.nanoTime();
        method.afterBackward(context);
        extraUpdate.accept(context);
        StepBenchmark.sync(context.model());
        nanos += System.nanoTime() - start;
        updates++;
    }

    @Override
    public void afterStep(TrainingContext context) {
        method.afterStep(context);
    }

    @Override
    public void onEpochEnd(TrainingContext context) {
        method.onEpochEnd(context);
    }

    @Override
    public String describe() {
        return method.describe();
    }
}
