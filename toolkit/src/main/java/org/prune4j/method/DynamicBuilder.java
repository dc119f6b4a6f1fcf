package org.prune4j.method;

/**
 * The settings every drop-and-regrow method shares on top of {@link AllocationBuilder}: the update
 * interval dT, the initial drop rate of the cosine decay, and the fraction of training after which the
 * mask stops changing. Validated once here.
 *
 * @param <T> the concrete builder, returned by every setter
 */
public abstract class DynamicBuilder<T extends DynamicBuilder<T>> extends AllocationBuilder<T> {

    private long interval;
    private double dropRate;
    private double updateUntil;

    /** Starts with the method's own defaults. */
    protected DynamicBuilder(Budget defaultBudget, long interval, double dropRate, double updateUntil) {
        super(defaultBudget);
        this.interval = interval;
        this.dropRate = dropRate;
        this.updateUntil = updateUntil;
    }

    /** Steps between mask updates (dT). */
    public T every(long steps) {
        this.interval = steps;
        return self();
    }

    /** The drop rate at step 0, in (0, 1]; it decays along a cosine. */
    public T dropRate(double rate) {
        this.dropRate = rate;
        return self();
    }

    /** The fraction of training, in (0, 1], after which the mask no longer changes. */
    public T updateUntil(double fraction) {
        this.updateUntil = fraction;
        return self();
    }

    /** The validated interval. */
    protected long validInterval() {
        return Validate.positive("update interval (steps)", interval);
    }

    /** The validated initial drop rate. */
    protected double validDropRate() {
        if (!(dropRate > 0 && dropRate <= 1)) {
            throw new IllegalArgumentException("drop rate " + dropRate + " is outside (0, 1]");
        }
        return dropRate;
    }

    /** The validated end of updates, as a fraction of training. */
    protected double validUpdateUntil() {
        if (!(updateUntil > 0 && updateUntil <= 1)) {
            throw new IllegalArgumentException("update-until fraction " + updateUntil + " is outside (0, 1]");
        }
        return updateUntil;
    }
}
