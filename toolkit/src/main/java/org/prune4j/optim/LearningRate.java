package org.prune4j.optim;

import org.prune4j.schedule.Schedule;
import org.prune4j.schedule.Schedules;

import java.util.Arrays;

/**
 * Learning-rate policies across a run: constant, multi-step (× factor at given epochs), cosine and linear
 * decay.
 *
 * <p>Why not DJL's MultiFactorTracker: it mutates its own state as it is asked, so it cannot answer
 * "what is the rate at step t" for histories, plots or resumed runs. These are pure schedules.
 */
public record LearningRate(Kind kind, double base, double factor, int[] dropEpochs, double finalValue) {

    /** The shape of the policy. */
    public enum Kind { CONSTANT, MULTI_STEP, COSINE, LINEAR }

    /** Validates the policy. */
    public LearningRate {
        if (!(base > 0) || !Double.isFinite(base)) {
            throw new IllegalArgumentException("learning rate " + base + " must be a positive finite number");
        }
        if (kind == Kind.MULTI_STEP && !(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("learning-rate drop factor " + factor + " is outside (0, 1]");
        }
        dropEpochs = dropEpochs == null ? new int[0] : dropEpochs.clone();
        for (int epoch : dropEpochs) {
            if (epoch < 1) {
                throw new IllegalArgumentException("learning-rate drop epoch " + epoch + " must be at least 1");
            }
        }
        Arrays.sort(dropEpochs);
        if ((kind == Kind.COSINE || kind == Kind.LINEAR) && !(finalValue >= 0 && finalValue < base)) {
            throw new IllegalArgumentException("final " + (kind == Kind.COSINE ? "cosine" : "linear") + " learning rate " + finalValue + " is outside [0, " + base + ")");
        }
    }

    /** The rate as a schedule over optimizer steps. */
    public Schedule schedule(int stepsPerEpoch, int epochs) {
        switch (kind) {
            case MULTI_STEP:
                long[] milestones = Arrays.stream(dropEpochs).mapToLong(e -> (long) e * stepsPerEpoch).toArray();
                return Schedules.multiStep(base, factor, milestones);
            case COSINE:
                return Schedules.cosine(base, finalValue, (long) stepsPerEpoch * epochs);
            case LINEAR:
                return Schedules.linear(base, finalValue, (long) stepsPerEpoch * epochs);
            default:
                return Schedules.constant(base);
        }
    }

    @Override
    public int[] dropEpochs() {
        return dropEpochs.clone();
    }

    /** A short description, such as {@code lr=0.1 x0.1 at epochs [50, 75]}. */
    public String describe() {
        switch (kind) {
            case MULTI_STEP:
                return "lr=" + base + " x" + factor + " at epochs " + Arrays.toString(dropEpochs);
            case COSINE:
                return "lr=" + base + " cosine to " + finalValue;
            case LINEAR:
                return "lr=" + base + " linear to " + finalValue;
            default:
                return "lr=" + base;
        }
    }
}
