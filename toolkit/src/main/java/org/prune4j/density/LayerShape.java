package org.prune4j.density;

import java.util.Arrays;
import java.util.Objects;

/**
 * The name and weight shape of one maskable layer, in DJL layout: Linear {@code (out, in)}, Conv2d
 * {@code (out, in, kh, kw)} (Conv1d/3d likewise, channels first).
 *
 * <p>Only weights are masked (methods.md, "Which tensors"), so a shape has rank 2 or more. The array
 * is copied in and out, so a shape is an immutable value with content equality.
 *
 * @param name the layer's name, for messages and reports
 * @param shape the weight shape, every dimension positive
 */
public record LayerShape(String name, long[] shape) {

    /** Validates and copies the shape. */
    public LayerShape {
        Objects.requireNonNull(name, "layer name is null");
        Objects.requireNonNull(shape, "shape of layer '" + name + "' is null");
        if (shape.length < 2) {
            throw new IllegalArgumentException("layer '" + name + "' has shape " + Arrays.toString(shape) + " of rank "
                    + shape.length + " (needs rank >= 2: Linear (out, in), Conv (out, in, k...))");
        }
        for (long dim : shape) {
            if (dim < 1) {
                throw new IllegalArgumentException("layer '" + name + "' has dimension " + dim + " in shape "
                        + Arrays.toString(shape) + " (needs every dimension >= 1)");
            }
        }
        shape = shape.clone();
    }

    /** A layer shape, e.g. {@code LayerShape.of("fc1", 300, 784)}. */
    public static LayerShape of(String name, long... shape) {
        return new LayerShape(name, shape);
    }

    /** A copy of the weight shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Number of weights: the product of the dimensions. */
    public long size() {
        long n = 1;
        for (long dim : shape) {
            n = Math.multiplyExact(n, dim);
        }
        return n;
    }

    /** Sum of the dimensions, the numerator of the ERK score. */
    public long sumOfDims() {
        long s = 0;
        for (long dim : shape) {
            s += dim;
        }
        return s;
    }

    /** Output features or channels: dimension 0 in DJL layout. */
    public long outChannels() {
        return shape[0];
    }

    /** Input features or channels: dimension 1 in DJL layout. */
    public long inChannels() {
        return shape[1];
    }

    /** Product of the kernel dimensions (2 onwards); 1 for a Linear weight. */
    public long receptiveField() {
        long r = 1;
        for (int i = 2; i < shape.length; i++) {
            r = Math.multiplyExact(r, shape[i]);
        }
        return r;
    }

    /** Inputs feeding one output unit, {@code in * receptiveField} (PyTorch's fan_in convention). */
    public long fanIn() {
        return Math.multiplyExact(inChannels(), receptiveField());
    }

    /** Outputs fed by one input unit, {@code out * receptiveField} (PyTorch's fan_out convention). */
    public long fanOut() {
        return Math.multiplyExact(outChannels(), receptiveField());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerShape other && name.equals(other.name) && Arrays.equals(shape, other.shape);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
