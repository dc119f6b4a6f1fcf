package org.prune4j.gap;

import ai.djl.ndarray.NDArray;

import org.prune4j.mask.Pattern;
import org.prune4j.mask.TopK;
import org.prune4j.method.LayerAllocation;
import org.prune4j.method.Scores;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Growing (mask removed) and magnitude pruning back to target, shared by C-GaP (here) and P-GaP
 * ({@code org.prune4j.orchestrate.PGap}, which runs whole trainings and so lives above the methods).
 */
public final class GapMasks {

    private GapMasks() {}

    /** The weight count of each masked layer, in the model's order. */
    public static long[] sizes(SparseModel model) {
        return model.weights().stream().mapToLong(MaskedWeight::size).toArray();
    }

    /** Removes the masks of these layers: they train dense, pruned weights regrow through the gradient. */
    public static void grow(SparseModel model, List<Integer> layers) {
        for (int i : layers) {
            model.setMask(model.weights().get(i), null);
        }
    }

    /**
     * Magnitude-prunes these layers back to their target counts: per layer ({@code global} false), or with
     * one threshold over all of them that keeps the sum of their counts ({@code global} true, the
     * non-uniform variant). Layers whose target is their full size get no mask.
     */
    public static void pruneToTarget(SparseModel model, LayerAllocation allocation, long[] keep, List<Integer> layers,
                              boolean global) {
        List<NDArray> scores = Scores.magnitude(model);
        try {
            List<MaskedWeight> masked = new ArrayList<>();
            long keepTotal = 0;
            for (int i : layers) {
                MaskedWeight weight = model.weights().get(i);
                if (keep[i] == weight.size()) {
                    model.setMask(weight, null);
                } else if (global) {
                    masked.add(weight);
                    keepTotal += keep[i];
                } else {
                    Pattern pattern = allocation.pattern();
                    model.setMask(weight, pattern.select(scores.get(i),
                            pattern.keepCount(weight.shape(), (double) keep[i] / weight.size())));
                }
            }
            if (!masked.isEmpty()) {
                List<NDArray> selected = new ArrayList<>();
                masked.forEach(w -> selected.add(scores.get(w.index())));
                List<NDArray> masks = TopK.globalMasks(selected, keepTotal);
                for (int j = 0; j < masked.size(); j++) {
                    model.setMask(masked.get(j), masks.get(j));
                }
            }
        } finally {
            Scores.close(scores);
        }
    }

    /** Weights kept by the masks of these layers (a dense layer keeps all); reads from the device. */
    public static long kept(SparseModel model, List<Integer> layers) {
        long kept = 0;
        for (int i : layers) {
            MaskedWeight weight = model.weights().get(i);
            NDArray mask = model.mask(weight);
            if (mask == null) {
                kept += weight.size();
            } else {
                kept += TopK.ones(mask);
            }
        }
        return kept;
    }
}
