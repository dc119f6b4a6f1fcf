package org.prune4j.schedule;

/**
 * A value that changes with the training step: a sparsity target, a drop rate, a threshold.
 *
 * <p>Implementations are pure and immutable, so one schedule can be plotted before training and
 * then handed to a method unchanged.
 */
@FunctionalInterface
public interface Schedule {

    /** The value at training step {@code step} (0-based, counted in optimizer steps). */
    double valueAt(long step);

    /**
     * The values at {@code fromStep, fromStep + every, ...} up to and including {@code toStep}, for
     * plotting a schedule before training with it.
     *
     * @throws IllegalArgumentException if {@code every < 1} or {@code toStep < fromStep}
     */
    default double[] sample(long fromStep, long toStep, long every) {
        if (every < 1) {
            throw new IllegalArgumentException("sampling interval " + every + " is below 1 (needs every >= 1)");
        }
        if (toStep < fromStep) {
            throw new IllegalArgumentException(
                    "sampling range [" + fromStep + ", " + toStep + "] is empty (needs toStep >= fromStep)");
        }
        int count = Math.toIntExact((toStep - fromStep) / every + 1);
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = valueAt(fromStep + i * every);
        }
        return values;
    }

    /** A one-line, human-readable summary, e.g. {@code gradual 0.00 -> 0.90 over steps [0, 3000], every 100, power 3}. */
    default String describe() {
        // A lambda has no better name; every schedule in this package overrides this.
        return "custom schedule";
    }
}
