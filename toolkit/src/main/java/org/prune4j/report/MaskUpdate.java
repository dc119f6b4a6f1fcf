package org.prune4j.report;

import java.util.Arrays;

/**
 * What one mask update did, over all masked layers changed at the same optimizer step: how many weights
 * each layer keeps afterwards, and the churn (weights dropped, weights regrown, and how many of the regrown
 * ones were still kept at the layer's next update or at the end of the run).
 *
 * <p>Recorded at every update, not at epoch ends, so a gradual schedule shows its ramp step by step and a
 * dynamic method (SET, RigL, GraNet) its drop-and-regrow churn.
 *
 * @param step     optimizer steps taken when the masks changed (0: at the start, before any step)
 * @param epoch    the same moment in (fractional) epochs: {@code step / stepsPerEpoch}
 * @param kept     weights kept per masked layer after the update, in the run's layer order
 * @param dropped  weights kept before and pruned by this update, summed over layers
 * @param regrown  weights pruned before and kept (regrown) by this update, summed over layers
 * @param survived of the {@code regrown}, those still kept at the next update of their layer (or at the end)
 */
public record MaskUpdate(long step, double epoch, long[] kept, long dropped, long regrown, long survived) {

    /** Validates the counts and takes a private copy of {@code kept}. */
    public MaskUpdate {
        Checks.nonNegative("step", step);
        Checks.nonNegative("epoch", epoch);
        kept = kept.clone();
        for (long k : kept) {
            Checks.nonNegative("kept", k);
        }
        Checks.nonNegative("dropped", dropped);
        Checks.nonNegative("regrown", regrown);
        if (survived < 0 || survived > regrown) {
            throw new IllegalArgumentException("survived " + survived + " outside [0," + regrown + "]");
        }
    }

    /** A copy: callers may not change this value through it. */
    @Override
    public long[] kept() {
        return kept.clone();
    }

    /** Weights kept over all layers. */
    public long keptTotal() {
        return Arrays.stream(kept).sum();
    }

    /** This update with a different survivor count, once the layer's next update (or the end) is known. */
    public MaskUpdate withSurvived(long survived) {
        return new MaskUpdate(step, epoch, kept, dropped, regrown, survived);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MaskUpdate that && step == that.step && Double.compare(epoch, that.epoch) == 0
                && Arrays.equals(kept, that.kept) && dropped == that.dropped && regrown == that.regrown
                && survived == that.survived;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(step) * 31 + Arrays.hashCode(kept) * 17 + Long.hashCode(dropped + 7 * regrown + 13 * survived);
    }

    @Override
    public String toString() {
        return "MaskUpdate[step=" + step + ", epoch=" + epoch + ", kept=" + Arrays.toString(kept) + ", dropped="
                + dropped + ", regrown=" + regrown + ", survived=" + survived + "]";
    }
}
