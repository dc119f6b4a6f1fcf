package org.prune4j.report;

/**
 * One row of training history: the state of a run at the end of one epoch.
 *
 * <p>Accuracies and sparsity are fractions in [0,1]; {@code seconds} is the wall time of this
 * epoch alone (not cumulative), so a slow epoch stands out in {@link Run#history()}.
 *
 * @param epoch         epoch number, {@code >= 0} (the trainer counts from 1; 0 may record the state before training)
 * @param loss          mean training loss over the epoch, finite and {@code >= 0}
 * @param trainAccuracy training accuracy in [0,1]
 * @param testAccuracy  test accuracy in [0,1]
 * @param sparsity      fraction of masked weights that are zero at the end of the epoch, in [0,1]
 * @param learningRate  learning rate at the end of the epoch, finite and {@code >= 0}
 * @param seconds       wall seconds of this epoch, finite and {@code >= 0}
 */
public record EpochStats(int epoch, double loss, double trainAccuracy, double testAccuracy,
                         double sparsity, double learningRate, double seconds) {

    /** Validates every field; an {@link IllegalArgumentException} names the bad value and its range. */
    public EpochStats {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch " + epoch + " outside [0,inf)");
        }
        Checks.nonNegative("loss", loss);
        Checks.unit("trainAccuracy", trainAccuracy);
        Checks.unit("testAccuracy", testAccuracy);
        Checks.unit("sparsity", sparsity);
        Checks.nonNegative("learningRate", learningRate);
        Checks.nonNegative("seconds", seconds);
    }
}
