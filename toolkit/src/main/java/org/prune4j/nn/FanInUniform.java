package org.prune4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.util.Objects;

/**
 * PyTorch's default initialisation of {@code nn.Linear} and {@code nn.Conv2d}: U(-b, b) with
 * b = 1/sqrt(fan_in), for the weight and for the bias alike. For the weight it is
 * {@code kaiming_uniform_(a = sqrt(5))}: gain sqrt(2 / (1 + 5)) = 1/sqrt(3), std = gain/sqrt(fan_in),
 * bound = sqrt(3) * std = 1/sqrt(fan_in). fan_in is the number of inputs of one output unit: the
 * weight's size divided by its first dimension (in for a linear (out, in) weight, c_in*kh*kw for a
 * conv (c_out, c_in, kh, kw) weight).
 *
 * <p>A bias has no fan_in of its own, so its initializer reads the shape of its layer's weight. DJL
 * sets both shapes when the layer is prepared, before either parameter is initialised, so the weight's
 * shape is known in time even though input sizes are inferred lazily.
 */
public final class FanInUniform implements Initializer {

    /** Where fan_in comes from: the weight this initializer fills, or the layer's weight for a bias. */
    private final Parameter weightOfLayer;

    private FanInUniform(Parameter weightOfLayer) {
        this.weightOfLayer = weightOfLayer;
    }

    /** For a weight: fan_in is computed from the shape being initialised. */
    public static FanInUniform forWeight() {
        return new FanInUniform(null);
    }

    /** For a bias: fan_in is computed from {@code weight}'s shape at initialisation time. */
    public static FanInUniform forBiasOf(Parameter weight) {
        return new FanInUniform(Objects.requireNonNull(weight, "weight"));
    }

    /**
     * The inputs per output unit of a weight of this shape: the product of all dimensions but the first.
     *
     * @throws IllegalArgumentException for a shape with fewer than 2 dimensions or a zero fan_in
     */
    public static long fanIn(Shape weightShape) {
        if (weightShape.dimension() < 2) {
            throw new IllegalArgumentException("weight shape " + weightShape
                    + " has no fan_in: expected (out, in) or (out, in, kh, kw)");
        }
        long fanIn = weightShape.size() / weightShape.get(0);
        if (fanIn < 1) {
            throw new IllegalArgumentException("weight shape " + weightShape + " has fan_in 0: expected >= 1");
        }
        return fanIn;
    }

    /** The half-width 1/sqrt(fan_in) of PyTorch's default uniform. */
    public static double bound(long fanIn) {
        return 1.0 / Math.sqrt(fanIn);
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        Shape source = weightOfLayer == null ? shape : weightOfLayer.getShape();
        if (source == null) {
            throw new IllegalStateException("the layer's weight has no shape yet: cannot size its bias");
        }
        float b = (float) bound(fanIn(source));
        return manager.randomUniform(-b, b, shape, dataType);
    }

    @Override
    public String toString() {
        return weightOfLayer == null ? "U(+-1/sqrt(fan_in))" : "U(+-1/sqrt(fan_in of the weight))";
    }
}
