package org.prune4j.nn;

import ai.djl.nn.Block;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A named entry of the model zoo: what the command line's {@code --model NAME} resolves to. It
 * builds a fresh, uninitialised block for a number of classes; input size and channels are fixed
 * only when the block is initialised, so one spec serves MNIST and CIFAR alike.
 */
public final class ModelSpec {

    private final String name;
    private final String description;
    private final IntFunction<Block> factory;
    private final double learningRate;

    ModelSpec(String name, String description, IntFunction<Block> factory) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.learningRate = 0.1;
    }

    /**
     * The SGD learning rate (momentum 0.9) of the papers' recipes for this model: 0.1 for every zoo
     * model (GraNet and the SNIP code train both LeNets and the CIFAR models at 0.1).
     */
    public double learningRate() {
        return learningRate;
    }

    /** The name accepted by {@link Models#byName(String, int)}, e.g. {@code "lenet300"}. */
    public String name() {
        return name;
    }

    /** One line for help texts and tables, e.g. "LeNet-300-100: fully connected 300-100". */
    public String description() {
        return description;
    }

    /**
     * A new, uninitialised block with {@code classes} outputs.
     *
     * @throws IllegalArgumentException if {@code classes < 1}
     */
    public Block build(int classes) {
        Models.requireClasses(classes);
        return factory.apply(classes);
    }

    @Override
    public String toString() {
        return name + " (" + description + ")";
    }
}
