package org.prune4j.flops;

/**
 * The inference cost of one Linear or convolution layer for one example.
 *
 * <p>Convention: FLOPs = 2 x multiply-accumulates (a multiply and an add each count), of the weight only;
 * biases, activations, pooling and BatchNorm are not counted (they are a small, density-independent share).
 * Linear: {@code 2 in out} per position; convolution: {@code 2 (in/groups) kh kw out} per output position.
 *
 * @param layer      the layer name, as {@link org.prune4j.model.SparseModel} names it
 * @param kind       {@code linear} or {@code conv}
 * @param weights    number of weights
 * @param positions  output positions per example (1 for a Linear on a vector, H x W for a conv)
 * @param denseFlops {@code 2 weights positions}
 */
public record LayerFlops(String layer, String kind, long weights, long positions, long denseFlops) {

    /** The cost at a density: {@code density x denseFlops} (a sparse kernel skips the zero weights). */
    public double sparseFlops(double density) {
        return density * denseFlops;
    }
}
