package org.prune4j.schedule;

/**
 * Factories for the schedules the methods use: constant, one-shot, gradual (Zhu &amp; Gupta) and
 * cosine decay.
 *
 * <pre>{@code
 * Schedule sparsity = Schedules.gradual().from(0.0).to(0.9).endStep(3000).every(100).build();
 * Schedule dropRate = Schedules.cosine(0.5, 0.005, 30_000);
 * }</pre>
 */
public final class Schedules {

    private Schedules() {
    }

    /** The value {@code v} at every step. */
    public static Schedule constant(double v) {
        return new ConstantSchedule(v);
    }

    /** {@code before} until {@code atStep} (exclusive), {@code after} from {@code atStep} on. */
    public static Schedule oneShot(long atStep, double before, double after) {
        return new OneShotSchedule(atStep, before, after);
    }

    /** A builder for the gradual polynomial sparsity schedule; see {@link GradualSchedule}. */
    public static GradualSchedule.Builder gradual() {
        return new GradualSchedule.Builder();
    }

    /**
     * Cosine decay from {@code initial} to {@code min} over {@code totalSteps}, then {@code min}
     * (GraNet: {@code cosine(0.5, 0.005, steps)}; RigL: {@code cosine(0.3, 0, 0.75 * steps)}).
     *
     * @param initial rate at step 0, finite and {@code >= 0}
     * @param min rate from {@code totalSteps} on, in [0, initial]
     * @param totalSteps decay length {@code T >= 1}
     */
    public static Schedule cosine(double initial, double min, long totalSteps) {
        return new CosineSchedule(initial, min, totalSteps);
    }

    /**
     * {@code base} multiplied by {@code factor} once for every milestone reached: the multi-step
     * learning-rate policy ("x0.1 at 50% and 75% of training").
     *
     * @param milestones steps at which the next factor applies, each at least 1
     */
    public static Schedule multiStep(double base, double factor, long... milestones) {
        return new MultiStepSchedule(base, factor, milestones);
    }

    /** A straight line from {@code initial} at step 0 to {@code last} at {@code totalSteps}, flat after. */
    public static Schedule linear(double initial, double last, long totalSteps) {
        return new LinearSchedule(initial, last, totalSteps);
    }
}
