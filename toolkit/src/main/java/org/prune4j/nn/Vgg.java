package org.prune4j.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

/**
 * A small VGG with BatchNorm (Simonyan and Zisserman 2015, with Ioffe and Szegedy's BN after every
 * convolution): configuration [32, 32, M, 64, 64, M, 128, 128, M], then global average pooling and
 * one fc layer. Global pooling instead of flatten + big fc layers keeps the head independent of
 * the input size (28x28 ends at 3x3, 32x32 at 4x4) and keeps almost all weights in convolutions.
 */
final class Vgg {

    /** Filters per 3x3 conv; {@code POOL} marks a 2x2 max-pool. */
    private static final int POOL = -1;
    private static final int[] SMALL = {32, 32, POOL, 64, 64, POOL, 128, 128, POOL};

    private Vgg() {}

    /** The small VGG described above. */
    static Block small(int classes) {
        SequentialBlock net = new SequentialBlock();
        for (int layer : SMALL) {
            if (layer == POOL) {
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            } else {
                net.add(Layers.conv3x3BnRelu(layer, 1));
            }
        }
        return net.add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Layers.linear(classes));
    }
}
