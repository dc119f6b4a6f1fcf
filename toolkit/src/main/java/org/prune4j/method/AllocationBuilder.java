package org.prune4j.method;

import org.prune4j.mask.NofM;
import org.prune4j.mask.Pattern;

/**
 * The settings every mask-selecting method shares: target sparsity, layer budget, mask pattern, and
 * which layers stay dense. Method builders extend it so these are written (and validated) once.
 *
 * @param <T> the concrete builder, returned by every setter
 */
public abstract class AllocationBuilder<T extends AllocationBuilder<T>> {

    private Double sparsity;
    private Budget budget;
    private Pattern pattern = Pattern.unstructured();
    private boolean keepFirstDense;
    private boolean keepLastDense;

    /** Starts with the method's own default layer budget. */
    protected AllocationBuilder(Budget defaultBudget) {
        this.budget = defaultBudget;
    }

    /** This builder, typed. */
    protected abstract T self();

    /** The final fraction of masked weights that are zero, in [0, 1). Required. */
    public T sparsity(double sparsity) {
        this.sparsity = sparsity;
        return self();
    }

    /** How the sparsity is shared among layers. */
    public T budget(Budget budget) {
        this.budget = budget;
        return self();
    }

    /**
     * The mask pattern; unstructured by default. An N:M pattern fixes the density at N/M, so the
     * sparsity must then be 1 - N/M (0.5 for 2:4).
     */
    public T pattern(Pattern pattern) {
        this.pattern = pattern;
        return self();
    }

    /** Keeps the first maskable layer dense. */
    public T keepFirstDense(boolean keep) {
        this.keepFirstDense = keep;
        return self();
    }

    /** Keeps the last maskable layer (the classifier) dense. */
    public T keepLastDense(boolean keep) {
        this.keepLastDense = keep;
        return self();
    }

    /**
     * The validated target sparsity.
     *
     * @throws IllegalArgumentException when it is missing or outside [0, 1)
     */
    protected double validSparsity(String method) {
        if (sparsity == null) {
            throw new IllegalArgumentException(method + ": sparsity is required, in [0, 1)");
        }
        return Validate.sparsity("sparsity", sparsity);
    }

    /** The sparsity as set, or null when it was not set (for methods where it is optional). */
    protected Double sparsityOrNull() {
        return sparsity;
    }

    /** The validated layer budget, pattern and dense layers. */
    protected LayerAllocation validAllocation(String method) {
        if (budget == null || pattern == null) {
            throw new IllegalArgumentException(method + ": budget and pattern must not be null");
        }
        if (pattern instanceof NofM nm && sparsity != null && Math.abs(sparsity - (1 - nm.density())) > 1e-9) {
            throw new IllegalArgumentException(method + ": the " + nm.name() + " pattern fixes the sparsity at "
                    + (1 - nm.density()) + ", got sparsity " + sparsity);
        }
        return new LayerAllocation(budget, pattern, keepFirstDense, keepLastDense);
    }
}
