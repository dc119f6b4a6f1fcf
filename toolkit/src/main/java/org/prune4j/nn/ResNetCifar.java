package org.prune4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * The CIFAR ResNets of He et al. 2016 ("Deep Residual Learning", section 4.2): a 3x3 conv with 16
 * filters, three stages of n basic blocks with 16, 32 and 64 filters (the first block of stages 2
 * and 3 halves the spatial size with stride 2), global average pooling and one fc layer; depth =
 * 6n + 2.
 *
 * <p>Where a block changes shape, the shortcut is a 1x1 convolution with stride 2 plus BatchNorm
 * (the paper's option B), not option A's zero-padded identity: option A has no DJL block and adds
 * no parameters, option B is what torchvision-style code and most pruning repositories use. It adds
 * 2 x (1x1 conv + BN) = 2,752 parameters to ResNet-20 (272,474 instead of 269,722 on 3 channels);
 * the two projection weights are maskable like any other convolution.
 */
final class ResNetCifar {

    private static final int[] STAGE_FILTERS = {16, 32, 64};

    private ResNetCifar() {}

    /** Builds ResNet-{@code depth}; depth must be 6n + 2, n >= 1 (8, 14, 20, 32, 44, 56, ...). */
    static Block build(int depth, int classes) {
        int blocksPerStage = blocksPerStage(depth);
        SequentialBlock net = new SequentialBlock().add(Layers.conv3x3BnRelu(STAGE_FILTERS[0], 1));
        int inFilters = STAGE_FILTERS[0];
        for (int stage = 0; stage < STAGE_FILTERS.length; stage++) {
            int filters = STAGE_FILTERS[stage];
            for (int b = 0; b < blocksPerStage; b++) {
                int stride = (stage > 0 && b == 0) ? 2 : 1;
                net.add(basicBlock(filters, stride, stride != 1 || inFilters != filters));
                inFilters = filters;
            }
        }
        // globalAvgPool2d already gives (N, C); the flatten keeps the head correct should a
        // DJL version return (N, C, 1, 1), which Linear would treat as a batch of vectors.
        return net.add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Layers.linear(classes));
    }

    /** n for depth = 6n + 2, or an IllegalArgumentException naming the bad depth. */
    static int blocksPerStage(int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("resnet depth " + depth
                    + " is not 6n+2 with n >= 1: expected one of 8, 14, 20, 32, 44, 56, 110, ...");
        }
        return (depth - 2) / 6;
    }

    /**
     * relu(F(x) + shortcut(x)) with F = conv3x3(stride) BN ReLU conv3x3 BN. A ParallelBlock runs
     * both branches on the same input and the join adds them, so the whole block stays made of DJL
     * blocks and its weights are found by walking children.
     */
    private static Block basicBlock(int filters, int stride, boolean project) {
        SequentialBlock residual = new SequentialBlock()
                .add(Layers.conv3x3BnRelu(filters, stride))
                .add(Layers.convNoBias(filters, 3, 1, 1))
                .add(Layers.batchNorm());
        Block shortcut = project
                ? new SequentialBlock()
                        .add(Layers.convNoBias(filters, 1, stride, 0))
                        .add(Layers.batchNorm())
                : Blocks.identityBlock();
        return new ParallelBlock(ResNetCifar::addThenRelu, List.of(residual, shortcut));
    }

    private static NDList addThenRelu(List<NDList> branches) {
        NDArray sum = branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow());
        return new NDList(Activation.relu(sum));
    }
}
