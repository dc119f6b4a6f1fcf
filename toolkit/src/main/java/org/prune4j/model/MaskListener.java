package org.prune4j.model;

import ai.djl.ndarray.NDArray;

/**
 * Told whenever a weight's mask changes, so state tied to weight positions (optimizer momentum) can
 * be reset at pruned and regrown positions.
 */
@FunctionalInterface
public interface MaskListener {

    /**
     * Called after the mask of {@code weight} changed.
     *
     * @param oldMask the previous mask, or null when the weight was dense
     * @param newMask the new mask, or null when the weight is now dense
     */
    void maskChanged(MaskedWeight weight, NDArray oldMask, NDArray newMask);
}
