package org.prune4j.method;

/**
 * A sparsification method: it answers "what are the masks now?" at a few fixed events and never runs
 * the training loop.
 *
 * <p>The events, in order within a step: the forward and backward pass, {@link #afterBackward}
 * (gradients are readable; dense even at masked positions, so growth criteria can use them), the
 * optimizer step (which re-applies the masks), then {@link #afterStep}. Masks are changed through
 * {@link org.prune4j.model.SparseModel#setMask}, which also resets optimizer state at pruned and regrown
 * positions.
 */
public interface SparsityMethod {

    /** A short name for tables and files, such as {@code gmp}. */
    String name();

    /** The sparsity the method reaches by the end of training, over the masked layers. */
    double targetSparsity();

    /** Called once before the first step, after the weights are initialised. */
    default void onStart(TrainingContext context) {}

    /** Called between the backward pass and the optimizer step; gradients are readable. */
    default void afterBackward(TrainingContext context) {}

    /** Called after each optimizer step. */
    default void afterStep(TrainingContext context) {}

    /** Called at the end of every epoch, before evaluation. */
    default void onEpochEnd(TrainingContext context) {}

    /**
     * Whether {@link #afterBackward} does anything at this step: reads a gradient or changes a mask. Where it does
     * not, the trainer may run the step through a kernel that computes gradients at kept weights only
     * ({@code SparseTraining.sparseKernel}); masks changed in {@link #afterStep} are followed there too. Default
     * true: always safe.
     *
     * @param step the 0-based step about to run
     */
    default boolean needsBackwardHookAt(long step) {
        return true;
    }

    /** One line describing the configuration, for logs and summaries. */
    default String describe() {
        return name() + " to sparsity " + targetSparsity();
    }
}
