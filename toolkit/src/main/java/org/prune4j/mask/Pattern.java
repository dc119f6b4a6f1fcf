package org.prune4j.mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The shape a mask may take for one weight tensor: unstructured here; N:M, channel and block patterns
 * plug in through the same three questions.
 *
 * <p>Shaped after torch.nn.utils.prune's {@code BasePruningMethod}: one job (turn scores into a mask
 * with an exact number of kept weights) and everything else composed around it.
 */
public interface Pattern {

    /** A short name for tables and the command line, such as {@code unstructured} or {@code 2:4}. */
    String name();

    /**
     * Checks that this pattern can tile a weight of the given shape.
     *
     * @throws IllegalArgumentException naming the layer and shape when it cannot
     */
    default void validate(String layer, Shape shape) {}

    /**
     * The number of weights to keep that this pattern can represent, closest to {@code density}
     * times the weight's size.
     */
    long keepCount(Shape shape, double density);

    /**
     * A float mask of {@code scores}' shape holding exactly {@code keep} ones at the highest scores.
     * Runs on the scores' device; ties are broken deterministically.
     */
    NDArray select(NDArray scores, long keep);

    /** Every weight is chosen on its own: the pattern of classic magnitude pruning. */
    static Pattern unstructured() {
        return Unstructured.INSTANCE;
    }
}
