package org.prune4j.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;

/**
 * How the zoo's models are initialised, following the code each model comes from (docs/models.md). It
 * sets the initializer of every Linear and Convolution weight and bias of a block tree, once, right after
 * the block is built; BatchNorm keeps DJL's gamma = 1, beta = 0, which is also PyTorch's.
 *
 * <p>Why it matters: DJL's own default (weights N(0, 2/fan_in), biases 0) has about 2.4x the spread of
 * PyTorch's default U(+-1/sqrt(fan_in)), and LeNet-5 at the papers' lr 0.1 diverges with it.
 */
public enum ModelInit {

    /**
     * PyTorch's default for every layer ({@link FanInUniform}): what the LeNets of the sparselearning
     * models file (GraNet, SNIP, Sparse Momentum) get, since that code sets no initializer.
     */
    TORCH_DEFAULT {
        @Override
        Initializer weightOf(Block layer) {
            return FanInUniform.forWeight();
        }

        @Override
        Initializer bias(Parameter weight) {
            return FanInUniform.forBiasOf(weight);
        }
    },

    /**
     * GraNet's CIFAR ResNet ({@code initializers.kaiming_normal}, applied to weights only): weights
     * {@code kaiming_normal_} (fan_in, gain sqrt(2), i.e. N(0, 2/fan_in)); biases, which only the fc layer
     * has, keep PyTorch's default U(+-1/sqrt(fan_in)).
     */
    KAIMING_NORMAL_FAN_IN {
        @Override
        Initializer weightOf(Block layer) {
            return new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2);
        }

        @Override
        Initializer bias(Parameter weight) {
            return FanInUniform.forBiasOf(weight);
        }
    },

    /**
     * GraNet's VGG ({@code init_utils.weights_init}): conv weights {@code kaiming_normal_(mode='fan_out')},
     * i.e. N(0, 2/(c_out*kh*kw)); fc weights N(0, 0.01^2); all biases 0.
     */
    VGG {
        @Override
        Initializer weightOf(Block layer) {
            return layer instanceof Convolution
                    ? new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2)
                    : new NormalInitializer(0.01f);
        }

        @Override
        Initializer bias(Parameter weight) {
            return Initializer.ZEROS;
        }
    };

    /** The initializer of {@code layer}'s weight. */
    abstract Initializer weightOf(Block layer);

    /** The initializer of the bias of the layer whose weight is {@code weight}. */
    abstract Initializer bias(Parameter weight);

    /** Sets this scheme on every Linear and Convolution under {@code root}; returns {@code root}. */
    public Block apply(Block root) {
        if (root instanceof Linear || root instanceof Convolution) {
            Parameter weight = null;
            for (Pair<String, Parameter> p : root.getDirectParameters()) {
                if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                    weight = p.getValue();
                    weight.setInitializer(weightOf(root));
                }
            }
            for (Pair<String, Parameter> p : root.getDirectParameters()) {
                if (p.getValue().getType() == Parameter.Type.BIAS) {
                    if (weight == null) {
                        throw new IllegalStateException("layer " + root + " has a bias but no weight");
                    }
                    p.getValue().setInitializer(bias(weight));
                }
            }
        }
        for (Pair<String, Block> child : root.getChildren()) {
            apply(child.getValue());
        }
        return root;
    }
}
