package org.prune4j.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

/**
 * The two LeNets of the pruning literature: LeNet-300-100 (fully connected) and LeNet-5-Caffe (two
 * convolutions), as the sparselearning models file of the GraNet and SNIP code defines them
 * ({@code LeNet_300_100}, {@code LeNet_5_Caffe}), plus the literal Caffe prototxt variant of LeNet-5.
 */
final class LeNet {

    private LeNet() {}

    /**
     * LeNet-300-100: flatten, 300, ReLU, 100, ReLU, classes. The input is flattened whatever its
     * shape, so 28x28 gives 784 inputs and 32x32x3 gives 3072.
     */
    static Block lenet300(int classes) {
        return mlp(classes, 300, 100);
    }

    /** Flatten, then a fc layer with ReLU per hidden width, then fc {@code classes}: LeNet-300-100's shape. */
    static Block mlp(int classes, int... hidden) {
        SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int width : hidden) {
            block.add(Layers.linear(width)).add(Activation.reluBlock());
        }
        return block.add(Layers.linear(classes));
    }

    /**
     * LeNet-5 as the papers' code trains it ({@code LeNet_5_Caffe} in GraNet's sparselearning models file):
     * conv 20 5x5, ReLU, max-pool 2, conv 50 5x5, ReLU, max-pool 2, fc 500, ReLU, fc classes. No
     * padding: 28x28 ends at 50x4x4 = 800 features, 32x32 at 50x5x5 = 1250; the first fc layer takes
     * whatever arrives (DJL infers input sizes lazily).
     */
    static Block lenet5(int classes) {
        return lenet5(classes, true);
    }

    /**
     * LeNet-5 as in Caffe's {@code examples/mnist/lenet_train_test.prototxt}: the same layers as
     * {@link #lenet5(int)} but no non-linearity after the convolutions (only max-pooling). Same
     * parameter count. At the papers' lr 0.1 it diverges even with PyTorch's initialisation (NaN at step 16
     * on Fashion-MNIST, measured; issue 17 saw the same in PyTorch).
     */
    static Block lenet5Caffe(int classes) {
        return lenet5(classes, false);
    }

    private static Block lenet5(int classes, boolean convRelu) {
        SequentialBlock net = new SequentialBlock().add(Layers.convWithBias(20, 5));
        if (convRelu) {
            net.add(Activation.reluBlock());
        }
        net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2))).add(Layers.convWithBias(50, 5));
        if (convRelu) {
            net.add(Activation.reluBlock());
        }
        return net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Layers.linear(500))
                .add(Activation.reluBlock())
                .add(Layers.linear(classes));
    }
}
