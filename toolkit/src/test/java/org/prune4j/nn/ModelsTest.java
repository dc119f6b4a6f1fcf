package org.prune4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.prune4j.ManagedTest;

class ModelsTest extends ManagedTest {

    private static final Shape MNIST = new Shape(2, 1, 28, 28);
    private static final Shape CIFAR = new Shape(2, 3, 32, 32);

    /** Initialises for {@code input}, runs one inference forward pass, returns the output shape. */
    private Shape forward(Block block, Shape input) {
        block.initialize(manager, DataType.FLOAT32, input);
        NDArray x = manager.randomNormal(input);
        NDList out = block.forward(new ParameterStore(manager, false), new NDList(x), false);
        return out.singletonOrThrow().getShape();
    }

    @Test
    void lenet300ShapesAndCount() {
        Block block = Models.lenet300(10);
        assertEquals(new Shape(2, 10), forward(block, MNIST));
        assertEquals(List.of(new Shape(300, 784), new Shape(100, 300), new Shape(10, 100)),
                WeightWalk.shapes(block));
        // 784*300+300 + 300*100+100 + 100*10+10 = 235,500 + 30,100 + 1,010
        assertEquals(266_610, WeightWalk.trainableCount(block));
        assertEquals(0, WeightWalk.runningStatCount(block));
    }

    @Test
    void lenet300FlattensAnyInput() {
        Block block = Models.lenet300(10);
        assertEquals(new Shape(2, 10), forward(block, CIFAR));
        assertEquals(new Shape(300, 3072), WeightWalk.shapes(block).get(0));
    }

    @Test
    void lenet5ShapesAndCountOnMnist() {
        Block block = Models.lenet5(10);
        assertEquals(new Shape(2, 10), forward(block, MNIST));
        assertEquals(List.of(new Shape(20, 1, 5, 5), new Shape(50, 20, 5, 5),
                        new Shape(500, 800), new Shape(10, 500)),
                WeightWalk.shapes(block));
        // conv1 20*1*25+20 = 520, conv2 50*20*25+50 = 25,050,
        // fc1 (50*4*4=800)*500+500 = 400,500, fc2 500*10+10 = 5,010: 431,080 in all.
        assertEquals(431_080, WeightWalk.trainableCount(block));
    }

    @Test
    void lenet5LayersAreTheSparselearningModelsFiles() {
        // LeNet_5_Caffe in GraNet's CIFAR/sparselearning/models.py: relu(conv1), max_pool 2,
        // relu(conv2), max_pool 2, relu(fc3), fc4.
        assertEquals(List.of("Conv2d", "relu", "Pool", "Conv2d", "relu", "Pool", "flatten", "Linear",
                        "relu", "Linear"),
                LayerKinds.of(Models.lenet5(10)));
        // Caffe's prototxt: no non-linearity after the convolutions.
        assertEquals(List.of("Conv2d", "Pool", "Conv2d", "Pool", "flatten", "Linear", "relu", "Linear"),
                LayerKinds.of(Models.lenet5Caffe(10)));
        assertEquals(List.of("flatten", "Linear", "relu", "Linear", "relu", "Linear"),
                LayerKinds.of(Models.lenet300(10)));
        Block caffe = Models.lenet5Caffe(10);
        assertEquals(new Shape(2, 10), forward(caffe, MNIST));
        assertEquals(431_080, WeightWalk.trainableCount(caffe));
    }

    @Test
    void lenet5OnCifarSizedInput() {
        Block block = Models.lenet5(10);
        assertEquals(new Shape(2, 10), forward(block, CIFAR));
        // 32 -> conv 28 -> pool 14 -> conv 10 -> pool 5: fc1 sees 50*5*5 = 1250 features.
        assertEquals(new Shape(500, 1250), WeightWalk.shapes(block).get(2));
        assertEquals(new Shape(20, 3, 5, 5), WeightWalk.shapes(block).get(0));
    }

    @Test
    void resnet20OnCifar() {
        Block block = Models.resnet20(10);
        assertEquals(new Shape(2, 10), forward(block, CIFAR));
        // Trainable (weights, fc bias, BN gamma/beta; BN running mean/var are DJL Parameters of
        // type RUNNING_MEAN/RUNNING_VAR with requiresGradient() false and are counted apart):
        //   stem    conv 16*3*9 = 432, BN 2*16 = 32                                   ->     464
        //   stage 1 3 x (2 convs 16*16*9 = 2,304 each + 2 BN of 32)                   ->  14,016
        //   stage 2 first: 32*16*9 + 32*32*9 + 2*64 + proj 32*16 + 64 = 14,528
        //           2 more: 2 x (2*9,216 + 128) = 37,120                              ->  51,648
        //   stage 3 first: 64*32*9 + 64*64*9 + 2*128 + proj 64*32 + 128 = 57,728
        //           2 more: 2 x (2*36,864 + 256) = 147,968                            -> 205,696
        //   fc      64*10 + 10                                                        ->     650
        // = 272,474 (option A, without the two projections, would be 269,722).
        assertEquals(272_474, WeightWalk.trainableCount(block));
        // 21 BN layers over 16 + 6*16 + 7*32 + 7*64 = 784 channels, mean and var each.
        assertEquals(2 * 784, WeightWalk.runningStatCount(block));
        List<Shape> weights = WeightWalk.shapes(block);
        // 19 3x3 convs + 2 projections + 1 fc.
        assertEquals(22, weights.size());
        assertEquals(new Shape(16, 3, 3, 3), weights.get(0));
        assertTrue(weights.contains(new Shape(32, 16, 1, 1)));
        assertTrue(weights.contains(new Shape(64, 32, 1, 1)));
        assertEquals(new Shape(10, 64), weights.get(weights.size() - 1));
    }

    @Test
    void resnet20OnMnist() {
        Block block = Models.resnet20(10);
        assertEquals(new Shape(2, 10), forward(block, MNIST));
        // Only the stem changes: 16*1*9 = 144 instead of 432.
        assertEquals(272_474 - 288, WeightWalk.trainableCount(block));
    }

    @Test
    void resnet32HasFiveBlocksPerStage() {
        Block block = Models.resnet32(100);
        assertEquals(new Shape(2, 100), forward(block, CIFAR));
        // 1 + 3*5*2 = 31 convs with 3x3 kernels, 2 projections, 1 fc.
        assertEquals(34, WeightWalk.shapes(block).size());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 19, 21, -4})
    void resnetRejectsDepthsThatAreNot6nPlus2(int depth) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Models.resnet(depth, 10));
        assertTrue(e.getMessage().contains("depth " + depth), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void vggSmallOnCifarAndMnist() {
        Block block = Models.vggSmall(10);
        assertEquals(new Shape(2, 10), forward(block, CIFAR));
        // convs 3*32*9=864, 32*32*9=9,216, 32*64*9=18,432, 64*64*9=36,864, 64*128*9=73,728,
        // 128*128*9=147,456 (286,560); BN 2*(32+32+64+64+128+128) = 896; fc 128*10+10 = 1,290.
        assertEquals(288_746, WeightWalk.trainableCount(block));
        assertEquals(7, WeightWalk.shapes(block).size());

        Block mnist = Models.vggSmall(10);
        assertEquals(new Shape(2, 10), forward(mnist, MNIST));
        assertEquals(288_746 - 576, WeightWalk.trainableCount(mnist));
    }

    @Test
    void everyRegisteredImageModelRunsOnBothInputSizes() {
        assertEquals(List.of("lenet300", "mlp2048", "lenet5", "lenet5-caffe", "resnet20", "resnet32", "vgg-small", "bert-tiny"),
                Models.names());
        for (String name : Models.names()) {
            if (Models.spec(name).readsTokens()) {
                continue; // BertClassifierTest: token ids, not images
            }
            assertEquals(new Shape(2, 7), forward(Models.byName(name, 7), MNIST), name);
            assertEquals(new Shape(2, 7), forward(Models.byName(name, 7), CIFAR), name);
        }
    }

    @Test
    void unknownNameListsAcceptedNames() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Models.byName("foo", 10));
        assertEquals("unknown model 'foo': expected one of lenet300, mlp2048, lenet5, lenet5-caffe, resnet20,"
                + " resnet32, vgg-small, bert-tiny", e.getMessage());
    }

    @Test
    void classesMustBePositive() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Models.lenet300(0));
        assertEquals("classes 0 is out of range: expected >= 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Models.byName("resnet20", -1));
    }

    @Test
    void weightPathsAreDjlParameterKeys() {
        Block lenet300 = Models.lenet300(10);
        lenet300.initialize(manager, DataType.FLOAT32, MNIST);
        // Children of a SequentialBlock are named "%02d" + class name (1-based, activations and
        // flatten count too); getParameters() joins child names and parameter name with '_'.
        assertEquals(List.of("02Linear_weight", "04Linear_weight", "06Linear_weight"),
                List.copyOf(WeightWalk.maskableWeights(lenet300).keySet()));
        Block lenet5 = Models.lenet5(10);
        lenet5.initialize(manager, DataType.FLOAT32, MNIST);
        // The ReLUs after both convolutions count as children too.
        assertEquals(List.of("01Conv2d_weight", "04Conv2d_weight", "08Linear_weight",
                        "10Linear_weight"),
                List.copyOf(WeightWalk.maskableWeights(lenet5).keySet()));
        Block caffe = Models.lenet5Caffe(10);
        caffe.initialize(manager, DataType.FLOAT32, MNIST);
        assertEquals(List.of("01Conv2d_weight", "03Conv2d_weight", "06Linear_weight",
                        "08Linear_weight"),
                List.copyOf(WeightWalk.maskableWeights(caffe).keySet()));
        for (String name : Models.names()) {
            Block block = Models.byName(name, 10);
            block.initialize(manager, DataType.FLOAT32, CIFAR);
            List<String> keys = block.getParameters().keys();
            for (Map.Entry<String, Shape> w : WeightWalk.maskableWeights(block).entrySet()) {
                assertTrue(keys.contains(w.getKey()), name + ": " + w.getKey());
                assertEquals(w.getValue(), block.getParameters().get(w.getKey()).getShape());
            }
        }
    }

    @Test
    void globalAveragePoolingAlreadyDropsSpatialAxes() {
        // ResNetCifar and Vgg keep a batchFlattenBlock after it in case this ever changes.
        Shape input = new Shape(2, 64, 8, 8);
        Block pool = ai.djl.nn.pooling.Pool.globalAvgPool2dBlock();
        assertEquals(new Shape(2, 64), pool.getOutputShapes(new Shape[] {input})[0]);
        NDList out = pool.forward(new ParameterStore(manager, false),
                new NDList(manager.ones(input)), false);
        assertEquals(new Shape(2, 64), out.singletonOrThrow().getShape());
    }

    @Test
    void trainingModeForwardUsesBatchStatistics() {
        for (String name : Models.names()) {
            Block block = Models.byName(name, 10);
            block.initialize(manager, DataType.FLOAT32, CIFAR);
            NDArray x = manager.randomNormal(CIFAR);
            NDList out = block.forward(new ParameterStore(manager, false), new NDList(x), true);
            assertEquals(new Shape(2, 10), out.singletonOrThrow().getShape(), name);
        }
    }
}
