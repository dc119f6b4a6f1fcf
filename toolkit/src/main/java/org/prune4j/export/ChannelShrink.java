package org.prune4j.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.List;

/**
 * Removes the neurons that channel sparsity pruned, so that a channel-pruned fully connected model becomes a
 * physically smaller dense one. Hidden neuron r of layer i goes when it cannot change the output:
 * <ul>
 *   <li>its weight row is all zero: it outputs the constant act(b_r), which is folded into the next layer's bias
 *       (b' = b + W[:, r] · act(b_r)), so the outputs stay the same, not only the predictions;</li>
 *   <li>or its column in the next layer is all zero: nothing reads it.</li>
 * </ul>
 * The input features and the output classes always stay. The maths is {@link #shrink(List)}, on plain
 * arrays; {@link #layers(Block)} reads them from a DJL block.
 */
public final class ChannelShrink {

    private ChannelShrink() {}

    /**
     * One fully connected layer: {@code weight} row-major {@code out x in}, {@code bias} of {@code out}
     * (zeros when the layer has none), and whether a ReLU follows it.
     */
    public record DenseLinear(int out, int in, float[] weight, float[] bias, boolean reluAfter) {
        /** Checks the array lengths. */
        public DenseLinear {
            if (weight.length != (long) out * in || bias.length != out) {
                throw new IllegalArgumentException("a " + out + "x" + in + " layer needs " + (long) out * in
                        + " weights and " + out + " biases, got " + weight.length + " and " + bias.length);
            }
        }

        float activation(float x) {
            return reluAfter ? Math.max(0f, x) : x;
        }

        boolean rowIsZero(int r) {
            for (int c = 0; c < in; c++) {
                if (weight[r * in + c] != 0f) {
                    return false;
                }
            }
            return true;
        }

        boolean columnIsZero(int c) {
            for (int r = 0; r < out; r++) {
                if (weight[r * in + c] != 0f) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The same network without its removable hidden neurons. Layers are processed first to last, so a
     * neuron whose only input was a removed constant neuron is seen with the folded bias.
     *
     * @param layers consecutive fully connected layers, layer i+1 reading layer i's outputs
     * @return layers of the same count, with the same input width and the same number of outputs
     */
    public static List<DenseLinear> shrink(List<DenseLinear> layers) {
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).in() != layers.get(i - 1).out()) {
                throw new IllegalArgumentException("layer " + (i + 1) + " reads " + layers.get(i).in()
                        + " features but layer " + i + " gives " + layers.get(i - 1).out());
            }
        }
        List<DenseLinear> result = new ArrayList<>(layers);
        for (int i = 0; i + 1 < result.size(); i++) {
            DenseLinear layer = result.get(i);
            DenseLinear next = result.get(i + 1);
            boolean[] keep = new boolean[layer.out()];
            float[] nextBias = next.bias().clone();
            for (int r = 0; r < layer.out(); r++) {
                if (next.columnIsZero(r)) {
                    continue;
                }
                if (layer.rowIsZero(r)) {
                    float constant = layer.activation(layer.bias()[r]);
                    for (int o = 0; o < next.out(); o++) {
                        nextBias[o] += next.weight()[o * next.in() + r] * constant;
                    }
                    continue;
                }
                keep[r] = true;
            }
            result.set(i, keepRows(layer, keep));
            result.set(i + 1, keepColumns(next, keep, nextBias));
        }
        return result;
    }

    private static int count(boolean[] keep) {
        int n = 0;
        for (boolean k : keep) {
            n += k ? 1 : 0;
        }
        return n;
    }

    private static DenseLinear keepRows(DenseLinear layer, boolean[] keep) {
        int out = count(keep);
        float[] weight = new float[out * layer.in()];
        float[] bias = new float[out];
        int row = 0;
        for (int r = 0; r < layer.out(); r++) {
            if (keep[r]) {
                System.arraycopy(layer.weight(), r * layer.in(), weight, row * layer.in(), layer.in());
                bias[row++] = layer.bias()[r];
            }
        }
        return new DenseLinear(out, layer.in(), weight, bias, layer.reluAfter());
    }

    private static DenseLinear keepColumns(DenseLinear layer, boolean[] keep, float[] bias) {
        int in = count(keep);
        float[] weight = new float[layer.out() * in];
        for (int r = 0; r < layer.out(); r++) {
            int column = 0;
            for (int c = 0; c < layer.in(); c++) {
                if (keep[c]) {
                    weight[r * in + column++] = layer.weight()[r * layer.in() + c];
                }
            }
        }
        return new DenseLinear(layer.out(), in, weight, bias, layer.reluAfter());
    }

    /**
     * The fully connected layers of an initialised block made of an optional leading flatten, then Linear
     * layers each optionally followed by a ReLU (LeNet-300-100, the MLPs).
     *
     * @throws IllegalArgumentException naming the first child of another kind (a convolution, pooling)
     */
    public static List<DenseLinear> layers(Block block) {
        if (!(block instanceof SequentialBlock)) {
            throw new IllegalArgumentException("shrinking needs a sequential fully connected model, not a "
                    + block.getClass().getSimpleName());
        }
        List<Pair<String, Block>> children = new ArrayList<>();
        block.getChildren().forEach(children::add);
        List<DenseLinear> layers = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            Block child = children.get(i).getValue();
            if (i == 0 && isLambda(child, "batchFlatten")) {
                continue;
            }
            if (child instanceof Linear) {
                boolean relu = i + 1 < children.size() && isLambda(children.get(i + 1).getValue(), "ReLU");
                layers.add(read(child, relu));
                i += relu ? 1 : 0;
                continue;
            }
            throw new IllegalArgumentException("shrinking handles fully connected models (flatten, Linear, ReLU);"
                    + " this one has " + children.get(i).getKey() + " (" + child.getClass().getSimpleName() + ")");
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("the model has no Linear layer to shrink");
        }
        return layers;
    }

    private static boolean isLambda(Block block, String name) {
        return block instanceof LambdaBlock lambda && name.equals(lambda.getName());
    }

    private static DenseLinear read(Block linear, boolean reluAfter) {
        Parameter weight = linear.getDirectParameters().get("weight");
        Parameter bias = linear.getDirectParameters().get("bias");
        Shape shape = weight.getArray().getShape();
        int out = Math.toIntExact(shape.get(0));
        int in = Math.toIntExact(shape.get(1));
        float[] b = bias == null ? new float[out] : bias.getArray().toFloatArray();
        return new DenseLinear(out, in, weight.getArray().toFloatArray(), b, reluAfter);
    }
}
