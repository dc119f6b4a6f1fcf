package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.prune4j.ManagedTest;

/**
 * Each zoo model's initial weights and biases, layer by layer, against the distribution the authors' code
 * draws them from (docs/models.md): bounds and spreads computed by hand from the layer shapes.
 */
class ModelInitTest extends ManagedTest {

    private static final Shape MNIST = new Shape(1, 1, 28, 28);
    private static final Shape CIFAR = new Shape(1, 3, 32, 32);

    /** One Linear or Convolution layer's initial values. */
    private record Layer(Shape weightShape, float[] weight, float[] bias) {}

    private List<Layer> initialised(Block block, Shape input, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        block.initialize(manager, DataType.FLOAT32, input);
        List<Layer> layers = new ArrayList<>();
        collect(block, layers);
        return layers;
    }

    private static void collect(Block block, List<Layer> out) {
        if (block instanceof Linear || block instanceof Convolution) {
            NDArray weight = null;
            float[] bias = null;
            for (Pair<String, Parameter> p : block.getDirectParameters()) {
                if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                    weight = p.getValue().getArray();
                } else if (p.getValue().getType() == Parameter.Type.BIAS) {
                    bias = p.getValue().getArray().toFloatArray();
                }
            }
            out.add(new Layer(weight.getShape(), weight.toFloatArray(), bias));
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), out);
        }
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(float[] v) {
        double mu = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - mu) * (x - mu);
        }
        return Math.sqrt(s / v.length);
    }

    /**
     * n draws from U(-b, b): all within b; the largest |x| above b(1 - t) except with probability
     * (1 - t)^n = 1e-6; the sample std within 5 standard errors (relative SE sqrt(0.2/n)) of b/sqrt(3);
     * the mean within 5 SE (b/sqrt(3n)) of 0.
     */
    private static void assertUniform(float[] v, double bound, String what) {
        int n = v.length;
        double max = maxAbs(v);
        assertTrue(max <= bound * (1 + 1e-6), what + ": max |x| " + max + " > bound " + bound);
        double slack = 1 - Math.pow(1e-6, 1.0 / n);
        assertTrue(max >= bound * (1 - slack), what + ": max |x| " + max + " far below bound " + bound);
        double expectedStd = bound / Math.sqrt(3);
        assertEquals(expectedStd, std(v), expectedStd * 5 * Math.sqrt(0.2 / n), what + ": std");
        assertEquals(0, mean(v), 5 * expectedStd / Math.sqrt(n), what + ": mean");
    }

    /** n draws from N(0, sigma^2): sample std within 5 SE (sigma/sqrt(2n)) of sigma, mean within 5 SE. */
    private static void assertNormal(float[] v, double sigma, String what) {
        int n = v.length;
        assertEquals(sigma, std(v), 5 * sigma / Math.sqrt(2.0 * n), what + ": std");
        assertEquals(0, mean(v), 5 * sigma / Math.sqrt(n), what + ": mean");
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({"lenet5, 1", "lenet5, 2", "lenet5-caffe, 1"})
    void lenet5IsPyTorchDefaultPerLayer(String name, int seed) {
        List<Layer> layers = initialised(Models.byName(name, 10), MNIST, seed);
        // Shapes and bounds by hand: bound = 1/sqrt(fan_in), fan_in = c_in*kh*kw or in_features.
        List<Shape> shapes = List.of(new Shape(20, 1, 5, 5), new Shape(50, 20, 5, 5), new Shape(500, 800),
                new Shape(10, 500));
        double[] bounds = {1 / Math.sqrt(25), 1 / Math.sqrt(500), 1 / Math.sqrt(800), 1 / Math.sqrt(500)};
        assertEquals(4, layers.size());
        for (int i = 0; i < 4; i++) {
            Layer layer = layers.get(i);
            assertEquals(shapes.get(i), layer.weightShape());
            assertUniform(layer.weight(), bounds[i], name + " layer " + i + " weight");
            assertUniform(layer.bias(), bounds[i], name + " layer " + i + " bias");
        }
        // conv1: 0.2; DJL's default would have drawn N(0, 2/25), std 0.283, 2.4x the uniform's 0.115.
        assertEquals(0.2, bounds[0], 1e-12);
    }

    @Test
    void lenet300IsPyTorchDefaultPerLayer() {
        List<Layer> layers = initialised(Models.lenet300(10), MNIST, 1);
        long[][] fan = {{300, 784}, {100, 300}, {10, 100}};
        double[] bounds = {1.0 / 28, 1 / Math.sqrt(300), 0.1};
        assertEquals(3, layers.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(new Shape(fan[i]), layers.get(i).weightShape());
            assertUniform(layers.get(i).weight(), bounds[i], "lenet300 layer " + i + " weight");
            assertUniform(layers.get(i).bias(), bounds[i], "lenet300 layer " + i + " bias");
        }
    }

    @Test
    void resnet20IsGraNetsKaimingNormalWithPyTorchsFcBias() {
        List<Layer> layers = initialised(Models.resnet20(10), CIFAR, 1);
        assertEquals(22, layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            long fanIn = FanInUniform.fanIn(layer.weightShape());
            assertNormal(layer.weight(), Math.sqrt(2.0 / fanIn), "resnet20 layer " + i + " " + layer.weightShape());
            if (i < layers.size() - 1) {
                assertNull(layer.bias(), "convs before BatchNorm have no bias");
            }
        }
        Layer fc = layers.get(layers.size() - 1);
        assertEquals(new Shape(10, 64), fc.weightShape());
        assertUniform(fc.bias(), 1.0 / 8, "resnet20 fc bias");
    }

    @Test
    void vggSmallIsGraNetsVggScheme() {
        List<Layer> layers = initialised(Models.vggSmall(10), CIFAR, 1);
        assertEquals(7, layers.size());
        for (int i = 0; i < 6; i++) {
            Shape s = layers.get(i).weightShape();
            // kaiming_normal_(mode='fan_out'): fan_out = c_out * kh * kw.
            assertNormal(layers.get(i).weight(), Math.sqrt(2.0 / (s.get(0) * 9)), "vgg conv " + i);
        }
        Layer fc = layers.get(6);
        assertNormal(fc.weight(), 0.01, "vgg fc weight");
        assertEquals(0.0, maxAbs(fc.bias()));
    }

    @Test
    void sameSeedSameWeightsOtherSeedOthers() {
        float[] a = initialised(Models.lenet5(10), MNIST, 7).get(0).weight();
        float[] b = initialised(Models.lenet5(10), MNIST, 7).get(0).weight();
        float[] c = initialised(Models.lenet5(10), MNIST, 8).get(0).weight();
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        assertTrue(!java.util.Arrays.equals(a, c));
    }

    @Test
    void fanInAndBoundByHand() {
        assertEquals(25, FanInUniform.fanIn(new Shape(20, 1, 5, 5)));
        assertEquals(500, FanInUniform.fanIn(new Shape(50, 20, 5, 5)));
        assertEquals(800, FanInUniform.fanIn(new Shape(500, 800)));
        assertEquals(0.2, FanInUniform.bound(25), 1e-15);
        assertEquals(1.0 / 28, FanInUniform.bound(784), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FanInUniform.fanIn(new Shape(10)));
        assertEquals("weight shape (10) has no fan_in: expected (out, in) or (out, in, kh, kw)", e.getMessage());
    }
}
