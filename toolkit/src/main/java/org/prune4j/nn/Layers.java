package org.prune4j.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;

/** Small building blocks shared by the model builders: DJL blocks with this zoo's conventions. */
final class Layers {

    private Layers() {}

    /**
     * A square convolution without bias. The bias is left out because every caller follows it
     * with BatchNorm, whose beta makes a conv bias redundant (as torchvision does).
     */
    static Block convNoBias(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(false)
                .build();
    }

    /** A square convolution with bias, stride 1 and no padding (Caffe LeNet-5 has no BatchNorm). */
    static Block convWithBias(int filters, int kernel) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optBias(true)
                .build();
    }

    /** BatchNorm over the channel axis of an NCHW tensor, DJL's defaults otherwise. */
    static Block batchNorm() {
        return BatchNorm.builder().optAxis(1).build();
    }

    /** 3x3 convolution (padding 1, so stride 1 keeps the spatial size), BatchNorm, ReLU. */
    static SequentialBlock conv3x3BnRelu(int filters, int stride) {
        return new SequentialBlock()
                .add(convNoBias(filters, 3, stride, 1))
                .add(batchNorm())
                .add(Activation.reluBlock());
    }

    /** A fully connected layer with bias. */
    static Block linear(int units) {
        return Linear.builder().setUnits(units).optBias(true).build();
    }
}
