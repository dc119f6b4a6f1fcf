package org.prune4j.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

/**
 * The two LeNets of the pruning literature: LeNet-300-100 (fully connected) and the Caffe variant
 * of LeNet-5 (two convolutions), as used by Han et al. 2015 and most sparse-training papers since.
 */
final class LeNet {

    private LeNet() {}

    /**
     * LeNet-300-100: flatten, 300, ReLU, 100, ReLU, classes. The input is flattened whatever its
     * shape, so 28x28 gives 784 inputs and 32x32x3 gives 3072.
     */
    static Block lenet300(int classes) {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Layers.linear(300))
                .add(Activation.reluBlock())
                .add(Layers.linear(100))
                .add(Activation.reluBlock())
                .add(Layers.linear(classes));
    }

    /**
     * LeNet-5 as in Caffe's {@code examples/mnist/lenet_train_test.prototxt}: conv 20 5x5, max-pool
     * 2, conv 50 5x5, max-pool 2, fc 500, ReLU, fc classes. Caffe's version has no non-linearity
     * after the convolutions (only max-pooling), and we keep it that way so that parameter counts
     * and published accuracies compare. No padding: 28x28 ends at 50x4x4 = 800 features, 32x32 at
     * 50x5x5 = 1250; the first fc layer takes whatever arrives (DJL infers input sizes lazily).
     */
    static Block lenet5(int classes) {
        return new SequentialBlock()
                .add(Layers.convWithBias(20, 5))
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Layers.convWithBias(50, 5))
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Layers.linear(500))
                .add(Activation.reluBlock())
                .add(Layers.linear(classes));
    }
}
