package org.prune4j.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

import org.prune4j.mask.TopK;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.util.Random;

/**
 * One drop-and-regrow step over every masked layer (methods.md, "SET", "RigL", GraNet's "zero-cost
 * neuroregeneration"): per layer, drop {@code n = ceil(r * nnz)} survivors by the drop criterion and
 * regrow {@code n} positions that were zero before the step by the growth criterion, so every layer's
 * nonzero count is unchanged.
 *
 * <p>Regrown weights are exactly 0 (they were masked) and {@link SparseModel#setMask} zeroes their
 * optimizer state, as it does at dropped positions. Choice: growth candidates are the positions that were
 * zero before the step, so a just-dropped weight is never regrown in the same step (the authors' code also
 * lets it come back, with its old value); {@code n} is capped by the number of zeros so the count is
 * always kept. Layers without a mask (kept dense) are left alone. Runs on the device; reads one count per
 * layer.
 */
public final class DropAndGrow {

    private final DropCriterion drop;
    private final GrowthCriterion growth;

    /** A step with these criteria. */
    public DropAndGrow(DropCriterion drop, GrowthCriterion growth) {
        this.drop = drop;
        this.growth = growth;
    }

    /** Magnitude drop, largest-|grad| growth (RigL, GraNet). */
    public static DropAndGrow rigl() {
        return new DropAndGrow(DropCriterion.magnitude(), GrowthCriterion.gradient());
    }

    /** Magnitude drop, random growth (SET). */
    public static DropAndGrow set() {
        return new DropAndGrow(DropCriterion.magnitude(), GrowthCriterion.random());
    }

    /** The growth criterion. */
    public GrowthCriterion growth() {
        return growth;
    }

    /** How many weights a layer with {@code nonzeros} survivors of {@code size} swaps at drop rate {@code rate}. */
    public static long swapCount(double rate, long nonzeros, long size) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("drop rate " + rate + " is outside [0, 1]");
        }
        return Math.min((long) Math.ceil(rate * nonzeros), size - nonzeros);
    }

    /**
     * Drops and regrows in every masked layer at drop rate {@code rate}.
     *
     * @return the number of weights swapped in each layer, in model order (0 for dense layers)
     */
    public long[] apply(SparseModel model, double rate, Random random) {
        long[] swapped = new long[model.weights().size()];
        for (MaskedWeight weight : model.weights()) {
            NDArray mask = model.mask(weight);
            if (mask == null) {
                continue;
            }
            try (NDScope ignored = new NDScope()) {
                long nonzeros = TopK.ones(mask);
                long n = swapCount(rate, nonzeros, weight.size());
                if (n == 0) {
                    continue;
                }
                NDArray values = model.values(weight);
                // The criteria return masks outside this scope (TopK hands them out unregistered): close them.
                try (NDArray survivors = drop.keep(values, mask, nonzeros - n);
                        NDArray grown = growth.grow(values, mask, n, random)) {
                    model.setMask(weight, survivors.add(grown));
                }
                swapped[weight.index()] = n;
            }
        }
        return swapped;
    }

    @Override
    public String toString() {
        return "magnitude drop, " + growth.name() + " growth";
    }
}
