package org.prune4j.density;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * The shared solver behind every {@link LayerBudget}: {@code d_l = eps * score_l}, with {@code eps}
 * chosen so that the kept count equals {@code density * total} (methods.md, "Layer densities";
 * google-research/rigl {@code get_sparsities_erdos_renyi}).
 *
 * <p>Layers kept dense count fully against the budget:
 * {@code eps * sum_free(score_l * n_l) = density * total - sum_dense(n_l)}. A free layer whose
 * {@code eps * score_l} exceeds 1 is made dense and {@code eps} is solved again. RigL moves only the
 * layers with the largest score per round; moving every overflowing layer at once gives the same
 * result, because making an overflowing layer dense frees budget ({@code n_l < eps * score_l * n_l}),
 * so {@code eps} only grows and a layer that overflowed keeps overflowing.
 */
final class ScaledDensities {

    /** Relative slack for "the dense layers alone exceed the budget", to absorb rounding in d * total. */
    private static final double BUDGET_TOLERANCE = 1e-12;

    private ScaledDensities() {
    }

    /**
     * Densities in input order with {@code sum(d_l * n_l) == density * total} up to rounding.
     *
     * @param names layer names, for the error message
     * @param sizes weights per layer
     * @param scores unnormalised density per layer (positive)
     * @param keptDense layers forced dense by the caller
     * @param density target overall density in (0, 1]
     */
    static double[] solve(String[] names, long[] sizes, double[] scores, boolean[] keptDense, double density) {
        int n = sizes.length;
        double total = 0;
        double forcedDense = 0;
        for (int l = 0; l < n; l++) {
            total += sizes[l];
            forcedDense += keptDense[l] ? sizes[l] : 0;
        }
        double budget = density * total;
        if (forcedDense > budget * (1 + BUDGET_TOLERANCE)) {
            StringJoiner denseNames = new StringJoiner(", ", "[", "]");
            for (int l = 0; l < n; l++) {
                if (keptDense[l]) {
                    denseNames.add(names[l]);
                }
            }
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "layers kept dense %s hold %.0f weights but density %s of %.0f weights keeps only %.1f"
                            + " (needs dense weights <= density * total)",
                    denseNames, forcedDense, density, total, budget));
        }
        boolean[] dense = keptDense.clone();
        double eps = 0;
        boolean overflow = true;
        while (overflow) {
            double denseWeights = 0;
            double divisor = 0;
            for (int l = 0; l < n; l++) {
                if (dense[l]) {
                    denseWeights += sizes[l];
                } else {
                    divisor += scores[l] * sizes[l];
                }
            }
            if (divisor == 0) {
                break; // every layer is dense: only reachable at density 1
            }
            eps = Math.max(0, budget - denseWeights) / divisor;
            overflow = false;
            for (int l = 0; l < n; l++) {
                if (!dense[l] && eps * scores[l] > 1) {
                    dense[l] = true;
                    overflow = true;
                }
            }
        }
        double[] densities = new double[n];
        for (int l = 0; l < n; l++) {
            densities[l] = dense[l] ? 1.0 : eps * scores[l];
        }
        return densities;
    }
}
