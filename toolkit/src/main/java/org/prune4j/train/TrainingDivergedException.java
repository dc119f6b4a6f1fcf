package org.prune4j.train;

/**
 * Training stopped because the loss or a parameter became NaN or infinite: continuing would only produce
 * garbage (and a NaN checkpoint). The message is one line naming the step, the epoch and, for parameters,
 * the layer; the last checkpoint written before it is intact.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final int epoch;
    private final String layer;

    TrainingDivergedException(String message, long step, int epoch, String layer) {
        super(message);
        this.step = step;
        this.epoch = epoch;
        this.layer = layer;
    }

    /** The optimizer step (counted from 1) whose loss, or after which a parameter, was first found non-finite. */
    public long step() {
        return step;
    }

    /** The epoch of that step, counted from 1. */
    public int epoch() {
        return epoch;
    }

    /** The first parameter (by name) holding a NaN or infinite value, or null when all parameters are finite. */
    public String layer() {
        return layer;
    }
}
