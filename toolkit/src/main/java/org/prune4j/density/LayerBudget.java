package org.prune4j.density;

import java.util.List;
import java.util.Objects;

/**
 * How an overall density is shared between layers (methods.md, "Layer densities"). Each budget gives
 * every layer an unnormalised score and scales it, {@code d_l = eps * score_l}, so the total number of
 * kept weights equals {@code density * total}; layers whose density would exceed 1 become dense and
 * {@code eps} is solved again over the rest.
 *
 * <p>Layers kept dense on request ({@link DenseLayers}) get density 1 and still count against the
 * budget: the others are lowered so the total stays {@code density * total}. If the dense layers
 * alone exceed that budget, {@link #densities} throws.
 *
 * <p>Shapes are in DJL layout, Linear {@code (out, in)}, Conv {@code (out, in, kh, kw)}; the scores
 * are symmetric in out and in, so the order of those two does not change the result.
 */
public enum LayerBudget {

    /** Every masked layer at the same density (score 1). */
    UNIFORM {
        @Override
        double score(LayerShape layer) {
            return 1.0;
        }
    },

    /**
     * Erdos-Renyi: {@code score = (n_in + n_out) / (n_in * n_out)}, kernel dimensions ignored
     * (rigl's {@code erdos_renyi}, i.e. {@code include_kernel=False}, which reads the in/out channels
     * of the weight; here dimensions 1 and 0).
     */
    ER {
        @Override
        double score(LayerShape layer) {
            double out = layer.outChannels();
            double in = layer.inChannels();
            return (out + in) / (out * in);
        }
    },

    /**
     * Erdos-Renyi-Kernel: {@code score = sum(shape) / prod(shape)}, e.g.
     * {@code (c_out + c_in + k_h + k_w) / (c_out * c_in * k_h * k_w)} (rigl's
     * {@code erdos_renyi_kernel}).
     */
    ERK {
        @Override
        double score(LayerShape layer) {
            return (double) layer.sumOfDims() / layer.size();
        }
    };

    /** The unnormalised density of a layer, before scaling by eps. */
    abstract double score(LayerShape layer);

    /** {@link #densities(List, double, DenseLayers)} with every layer masked. */
    public double[] densities(List<LayerShape> layers, double density) {
        return densities(layers, density, DenseLayers.NONE);
    }

    /**
     * One density per layer, in input order, such that {@code sum(d_l * n_l) == density * total}.
     *
     * @param layers the maskable layers, in model order (first = input layer, last = classifier)
     * @param density the overall fraction of weights kept, in (0, 1]
     * @param dense which layers stay dense
     * @throws IllegalArgumentException for an empty list, a density outside (0, 1], or dense layers
     *     that alone hold more weights than the budget
     */
    public double[] densities(List<LayerShape> layers, double density, DenseLayers dense) {
        Objects.requireNonNull(layers, "layer list is null");
        Objects.requireNonNull(dense, "dense layers option is null");
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layer list is empty (needs at least one layer)");
        }
        if (!(density > 0 && density <= 1)) { // also rejects NaN
            throw new IllegalArgumentException("density " + density + " is outside (0, 1]");
        }
        int n = layers.size();
        String[] names = new String[n];
        long[] sizes = new long[n];
        double[] scores = new double[n];
        boolean[] keptDense = new boolean[n];
        for (int l = 0; l < n; l++) {
            LayerShape layer = Objects.requireNonNull(layers.get(l), "layer " + l + " is null");
            names[l] = layer.name();
            sizes[l] = layer.size();
            scores[l] = score(layer);
            keptDense[l] = dense.isDense(l, n);
        }
        return ScaledDensities.solve(names, sizes, scores, keptDense, density);
    }
}
