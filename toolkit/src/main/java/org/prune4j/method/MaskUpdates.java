package org.prune4j.method;

/**
 * When a dynamic method updates its masks: every {@code every} steps (dT) from {@code startStep}, up to
 * but excluding {@code endStep} (RigL and SET stop at 75% of training; GraNet runs to the end). Step 0 is
 * never an update: nothing has been trained yet.
 *
 * @param every     dT, steps between updates, at least 1
 * @param startStep the first step counted from
 * @param endStep   updates happen strictly before this step
 */
public record MaskUpdates(long every, long startStep, long endStep) {

    /** Validates the interval. */
    public MaskUpdates {
        if (every < 1) {
            throw new IllegalArgumentException("update interval " + every + " must be at least 1");
        }
    }

    /** True at the steps (optimizer steps completed) where the masks change. */
    public boolean isUpdateStep(long step) {
        return step > 0 && step >= startStep && step < endStep && (step - startStep) % every == 0;
    }
}
