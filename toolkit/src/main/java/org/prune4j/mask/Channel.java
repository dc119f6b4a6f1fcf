package org.prune4j.mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/**
 * Channel sparsity: whole output channels (convolution filters) or output neurons (rows of a Linear
 * weight) are kept or pruned. A channel's score is the L2 norm of its scores (with magnitude scores:
 * the L2 norm of its weights). Keep counts are whole channels times the fan-in.
 */
final class Channel implements Pattern {

    static final Channel INSTANCE = new Channel();

    private Channel() {}

    @Override
    public String name() {
        return "channel";
    }

    @Override
    public void validate(String layer, Shape shape) {
        Patterns.fanIn(layer, shape, name());
    }

    @Override
    public long keepCount(Shape shape, double density) {
        long channels = shape.get(0);
        long fanIn = Patterns.fanIn("?", shape, name());
        long kept = Math.round(density * channels);
        if (density > 0 && kept == 0) {
            kept = 1; // a nonzero density keeps at least one channel
        }
        return Math.min(channels, kept) * fanIn;
    }

    @Override
    public NDArray select(NDArray scores, long keep) {
        Shape shape = scores.getShape();
        long fanIn = Patterns.fanIn("?", shape, name());
        TopK.checkKeep(keep, shape.size());
        if (keep % fanIn != 0) {
            throw new IllegalArgumentException("the channel pattern keeps whole channels of " + fanIn
                    + " weights (shape " + shape + "), not " + keep);
        }
        NDArray result;
        try (NDScope ignored = new NDScope()) {
            NDArray norms = scores.reshape(shape.get(0), fanIn).square().sum(new int[] {1}).sqrt();
            NDArray kept = TopK.mask(norms, keep / fanIn);
            result = kept.reshape(shape.get(0), 1).broadcast(new Shape(shape.get(0), fanIn)).reshape(shape).duplicate();
            NDScope.unregister(result);
        }
        return result;
    }

    @Override
    public String toString() {
        return name();
    }
}
