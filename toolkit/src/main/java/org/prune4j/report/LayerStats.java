package org.prune4j.report;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Size and density of one masked weight at the end of a run.
 *
 * <p>The shape array is copied on the way in and out, so a {@code LayerStats} stays immutable and
 * compares by the content of its shape.
 *
 * @param layer      the weight's name, non-blank (for example {@code "fc1"}, see org.prune4j.model.LayerNames)
 * @param shape      the weight's shape, every dimension {@code >= 1}
 * @param parameters number of weights; must equal the product of {@code shape}
 * @param nonzeros   number of weights left unpruned, in [0, parameters]
 */
public record LayerStats(String layer, long[] shape, long parameters, long nonzeros) {

    /** Validates the values and takes a private copy of {@code shape}. */
    public LayerStats {
        Checks.text("layer", layer);
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("shape of " + layer + " must have at least one dimension");
        }
        shape = shape.clone();
        long product = 1;
        for (long dim : shape) {
            if (dim < 1) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + layer
                        + " has dimension " + dim + " outside [1,inf)");
            }
            product = Math.multiplyExact(product, dim);
        }
        if (parameters != product) {
            throw new IllegalArgumentException("parameters " + parameters + " of " + layer
                    + " differ from the shape's " + shapeText(shape) + " = " + product);
        }
        if (nonzeros < 0 || nonzeros > parameters) {
            throw new IllegalArgumentException("nonzeros " + nonzeros + " of " + layer
                    + " outside [0," + parameters + "]");
        }
    }

    /** Creates the stats of a weight whose parameter count is the product of its shape. */
    public static LayerStats of(String layer, long nonzeros, long... shape) {
        long product = 1;
        for (long dim : shape) {
            product *= dim; // overflow and bad dimensions are caught by the canonical constructor
        }
        return new LayerStats(layer, shape, product, nonzeros);
    }

    /** A copy of the shape: callers may not change this value through it. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Fraction of weights kept: {@code nonzeros / parameters}. */
    public double density() {
        return (double) nonzeros / parameters;
    }

    /** The shape as the layers table shows it, for example {@code "300x784"}. */
    public String shapeText() {
        return shapeText(shape);
    }

    private static String shapeText(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LayerStats that
                && layer.equals(that.layer)
                && Arrays.equals(shape, that.shape)
                && parameters == that.parameters
                && nonzeros == that.nonzeros;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * layer.hashCode() + Arrays.hashCode(shape)) + Long.hashCode(parameters))
                + Long.hashCode(nonzeros);
    }

    @Override
    public String toString() {
        return "LayerStats[layer=" + layer + ", shape=" + shapeText() + ", parameters=" + parameters
                + ", nonzeros=" + nonzeros + "]";
    }
}
