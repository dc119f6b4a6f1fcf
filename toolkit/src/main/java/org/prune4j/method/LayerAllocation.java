package org.prune4j.method;

import ai.djl.ndarray.NDArray;

import org.prune4j.density.DenseLayers;
import org.prune4j.density.DensityAllocation;
import org.prune4j.density.LayerBudget;
import org.prune4j.mask.Pattern;
import org.prune4j.mask.TopK;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns per-weight scores into masks at a total density: the budget decides how many weights each layer
 * keeps, the pattern decides which. Every method that selects "the top scores" (magnitude pruning, random
 * masks, SNIP) goes through here, so budgets and patterns are written once.
 *
 * @param budget         how the density is shared among layers
 * @param pattern        the shape a mask may take
 * @param keepFirstDense never mask the first maskable layer
 * @param keepLastDense  never mask the last maskable layer (the classifier); always true for the channel
 *                       pattern, whose output channels there are the classes: pruning one would make a class
 *                       unpredictable
 */
public record LayerAllocation(Budget budget, Pattern pattern, boolean keepFirstDense, boolean keepLastDense) {

    /** Channel sparsity never removes a class: the classifier stays dense. */
    public LayerAllocation {
        keepLastDense = keepLastDense || Pattern.channel().equals(pattern);
    }

    /** Uniform, unstructured, every layer masked. */
    public static LayerAllocation uniform() {
        return new LayerAllocation(Budget.UNIFORM, Pattern.unstructured(), false, false);
    }

    /** Checks that the pattern can tile every masked layer of the model. */
    public void validate(SparseModel model) {
        for (MaskedWeight weight : model.weights()) {
            if (!isKeptDense(weight.index(), model.weights().size())) {
                pattern.validate(weight.name(), weight.shape());
            }
        }
    }

    /**
     * Keeps, in each layer, the weights with the highest scores so that the masked layers hold
     * {@code density} of their weights in total; layers kept dense get no mask.
     *
     * @param scores one score tensor per maskable weight, in {@code model.weights()} order; the caller
     *               still owns them
     */
    public void keepTopScores(SparseModel model, List<NDArray> scores, double density) {
        if (budget == Budget.GLOBAL && pattern.equals(Pattern.unstructured())) {
            keepGlobalTopScores(model, scores, density);
            return;
        }
        long[] keep = targetCounts(model, scores, density);
        for (MaskedWeight weight : model.weights()) {
            int i = weight.index();
            if (keep[i] == weight.size()) {
                model.setMask(weight, null);
            } else {
                model.setMask(weight, pattern.select(scores.get(i), keep[i]));
            }
        }
    }

    /**
     * The global selection's masks are the masks: restricted to one layer, "everything above the global
     * k-th score, then ties by flat index across the layers in order" is that layer's exact top-k at its
     * count with ties by index, which a second per-layer selection would only recompute.
     */
    private void keepGlobalTopScores(SparseModel model, List<NDArray> scores, double density) {
        NDArray[] masks = globalMasks(model, scores, density);
        for (MaskedWeight weight : model.weights()) {
            NDArray mask = masks[weight.index()];
            if (mask != null && TopK.ones(mask) == weight.size()) {
                mask.close();
                mask = null;
            }
            model.setMask(weight, mask);
        }
    }

    /**
     * The number of weights each layer keeps at a total density, as the pattern can represent it (whole
     * channels, whole tiles, N/M): from the budget, or for a global budget from one selection over all
     * scores together (each layer's share then rounded to the pattern). Layers kept dense keep all.
     */
    public long[] targetCounts(SparseModel model, List<NDArray> scores, double density) {
        List<MaskedWeight> weights = model.weights();
        int layers = weights.size();
        long[] keep = budget == Budget.GLOBAL ? globalCounts(model, scores, density) : keepCounts(model, density);
        for (MaskedWeight weight : weights) {
            int i = weight.index();
            if (isKeptDense(i, layers) || keep[i] == weight.size()) {
                keep[i] = weight.size();
            } else {
                keep[i] = pattern.keepCount(weight.shape(), (double) keep[i] / weight.size());
            }
        }
        return keep;
    }

    /** The number of weights each layer keeps at a total density (not defined for GLOBAL, which depends on scores). */
    public long[] keepCounts(SparseModel model, double density) {
        return keepCounts(model.shapes(), density);
    }

    /**
     * The number of weights each layer keeps at a total density, from layer shapes alone (before any model
     * exists, for plans and charts); not defined for GLOBAL.
     */
    public long[] keepCounts(List<org.prune4j.density.LayerShape> shapes, double density) {
        if (budget == Budget.GLOBAL) {
            throw new IllegalStateException("a global budget has no per-layer counts before scores are known");
        }
        return DensityAllocation.of(layerBudget())
                .keepFirstDense(keepFirstDense)
                .keepLastDense(keepLastDense)
                .keepCounts(shapes, density);
    }

    /** Per-layer kept counts of one unstructured top-k over the scores of every masked layer. */
    private long[] globalCounts(SparseModel model, List<NDArray> scores, double density) {
        NDArray[] masks = globalMasks(model, scores, density);
        long[] counts = new long[masks.length];
        for (MaskedWeight weight : model.weights()) {
            NDArray mask = masks[weight.index()];
            if (mask == null) {
                counts[weight.index()] = weight.size();
            } else {
                counts[weight.index()] = TopK.ones(mask);
                mask.close();
            }
        }
        return counts;
    }

    /**
     * One unstructured top-k over the scores of every masked layer at a total density: a mask per
     * layer, in model order, null for the layers kept dense. The caller owns the masks.
     */
    private NDArray[] globalMasks(SparseModel model, List<NDArray> scores, double density) {
        List<MaskedWeight> weights = model.weights();
        int layers = weights.size();
        long total = model.totalWeights();
        long keepTotal = Math.round(density * total);
        NDArray[] masks = new NDArray[layers];
        List<MaskedWeight> ranked = new ArrayList<>();
        List<NDArray> rankedScores = new ArrayList<>();
        for (MaskedWeight weight : weights) {
            if (isKeptDense(weight.index(), layers)) {
                keepTotal -= weight.size();
            } else {
                ranked.add(weight);
                rankedScores.add(scores.get(weight.index()));
            }
        }
        if (keepTotal < 0) {
            throw new IllegalArgumentException("density " + density + " is below what the layers kept dense need ("
                    + (Math.round(density * total) - keepTotal) + " of " + total + " weights)");
        }
        List<NDArray> selected = TopK.globalMasks(rankedScores, keepTotal);
        for (int i = 0; i < ranked.size(); i++) {
            masks[ranked.get(i).index()] = selected.get(i);
        }
        return masks;
    }

    private boolean isKeptDense(int index, int layers) {
        return new DenseLayers(keepFirstDense, keepLastDense).isDense(index, layers);
    }

    private LayerBudget layerBudget() {
        switch (budget) {
            case ER:
                return LayerBudget.ER;
            case ERK:
                return LayerBudget.ERK;
            default:
                return LayerBudget.UNIFORM;
        }
    }

    @Override
    public String toString() {
        return budget + " " + pattern.name() + (keepFirstDense ? " first-dense" : "") + (keepLastDense ? " last-dense" : "");
    }
}
