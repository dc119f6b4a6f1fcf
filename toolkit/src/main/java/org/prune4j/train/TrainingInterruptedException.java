package org.prune4j.train;

/**
 * Training stopped because its thread was interrupted ({@link Thread#interrupt()}), as a notebook kernel
 * does when a cell is interrupted. The session was closed (model, optimizer state, data and the
 * GradientCollector freed), so the next training in this JVM starts cleanly. Like
 * {@link InterruptedException}, throwing it clears the thread's interrupt flag.
 */
public final class TrainingInterruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;

    TrainingInterruptedException(long step, int epoch) {
        super("training interrupted after step " + step + " (epoch " + epoch + ")");
        this.step = step;
    }

    /** Optimizer steps completed before the interrupt was seen. */
    public long step() {
        return step;
    }
}
