package org.prune4j.density;

import java.util.List;
import java.util.Objects;

/**
 * A layer budget together with the layers it keeps dense: the one object a method needs to turn an
 * overall density into per-layer densities and exact per-layer kept counts.
 *
 * <pre>{@code
 * var allocation = DensityAllocation.of(LayerBudget.ERK).keepFirstDense(true);
 * double[] densities = allocation.densities(layers, 0.1);   // sum(d_l * n_l) == 0.1 * total
 * long[] kept = allocation.keepCounts(layers, 0.1);          // sum == round(0.1 * total)
 * }</pre>
 *
 * @param budget how the density is shared between layers
 * @param dense which layers stay dense
 */
public record DensityAllocation(LayerBudget budget, DenseLayers dense) {

    /** Checks that both parts are present. */
    public DensityAllocation {
        Objects.requireNonNull(budget, "layer budget is null");
        Objects.requireNonNull(dense, "dense layers option is null");
    }

    /** {@code budget} with every layer masked. */
    public static DensityAllocation of(LayerBudget budget) {
        return new DensityAllocation(budget, DenseLayers.NONE);
    }

    /** A copy that keeps the first layer dense, or masks it. */
    public DensityAllocation keepFirstDense(boolean keep) {
        return new DensityAllocation(budget, new DenseLayers(keep, dense.last()));
    }

    /** A copy that keeps the last layer (the classifier) dense, or masks it. */
    public DensityAllocation keepLastDense(boolean keep) {
        return new DensityAllocation(budget, new DenseLayers(dense.first(), keep));
    }

    /**
     * One density per layer, in input order, with {@code sum(d_l * n_l) == density * total};
     * see {@link LayerBudget#densities(List, double, DenseLayers)}.
     */
    public double[] densities(List<LayerShape> layers, double density) {
        return budget.densities(layers, density, dense);
    }

    /** Exact kept counts per layer at {@code density}: {@code keepCounts(layers, densities(layers, density))}. */
    public long[] keepCounts(List<LayerShape> layers, double density) {
        return keepCounts(layers, densities(layers, density));
    }

    /**
     * Whole kept counts per layer from per-layer densities, summing exactly to
     * {@code round(sum(d_l * n_l))} (half up): each layer gets the floor of {@code d_l * n_l} and the
     * remaining weights go to the largest fractional parts, ties to the lower layer index.
     *
     * @throws IllegalArgumentException if the lengths differ or a density is outside [0, 1]
     */
    public static long[] keepCounts(List<LayerShape> layers, double[] densities) {
        Objects.requireNonNull(layers, "layer list is null");
        Objects.requireNonNull(densities, "densities are null");
        if (densities.length != layers.size()) {
            throw new IllegalArgumentException(densities.length + " densities for " + layers.size()
                    + " layers (needs one density per layer)");
        }
        long[] sizes = new long[layers.size()];
        for (int l = 0; l < sizes.length; l++) {
            LayerShape layer = Objects.requireNonNull(layers.get(l), "layer " + l + " is null");
            if (!(densities[l] >= 0 && densities[l] <= 1)) {
                throw new IllegalArgumentException("density " + densities[l] + " of layer '" + layer.name()
                        + "' is outside [0, 1]");
            }
            sizes[l] = layer.size();
        }
        return LargestRemainder.round(sizes, densities);
    }

    @Override
    public String toString() {
        return budget + ", " + dense;
    }
}
