package org.prune4j.method;

/**
 * A sparsity method that keeps state between events, which a checkpoint must carry for a resumed run to
 * continue exactly as an uninterrupted one (GMP's and GraNet's current sparsity, SNIP's partial scores,
 * lottery tickets' rewind weights, PDP's phase and thresholds, C-GaP's partitions and grown step).
 *
 * <p>What a method need not save: the masks, the weights, the optimizer state and the run's random
 * source (the checkpoint holds them), and whatever {@link SparsityMethod#onStart} derives from the run's
 * shape (schedules, round boundaries). A method whose only state is of that kind (dense, static, RigL,
 * SET) does not implement this interface.
 *
 * <p>On resume, the trainer calls {@link SparsityMethod#onStart} as for a fresh run, then restores
 * weights, masks, optimizer state, step and random source, then calls {@link #restoreState}.
 */
public interface Resumable {

    /** Writes the method's state into {@code state}; called at a checkpoint, between steps. */
    void saveState(MethodState state);

    /**
     * Continues from a saved state. Tensors read from {@code state} are freed when this returns: copy what
     * is kept.
     *
     * @throws IllegalArgumentException if the state lacks an entry this method needs
     */
    void restoreState(MethodState state, TrainingContext context);
}
