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
    private final boolean readsTokens;
    private final String optimizer;
    private final double learningRate;

    /** An image model trained with SGD at 0.1, as the papers train every image model of the zoo. */
    ModelSpec(String name, String description, IntFunction<Block> factory) {
        this(name, description, factory, false, "sgd", 0.1);
    }

    ModelSpec(String name, String description, IntFunction<Block> factory, boolean readsTokens, String optimizer,
              double learningRate) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.readsTokens = readsTokens;
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.learningRate = learningRate;
    }

    /**
     * The learning rate of this model's recipe with its {@link #optimizer()}: 0.1 with SGD (momentum 0.9) for
     * every image model (GraNet and the SNIP code train both LeNets and the CIFAR models at 0.1); AdamW's rate
     * for the Transformer.
     */
    public double learningRate() {
        return learningRate;
    }

    /** The optimizer of this model's recipe: {@code sgd} for the image models, {@code adamw} for BERT. */
    public String optimizer() {
        return optimizer;
    }

    /**
     * The layers the model keeps dense unless told otherwise ({@code --also-prune}), by their layer names:
     * {@code embedding} and {@code classifier} for BERT-Tiny, as the pruning papers leave a Transformer's token
     * embedding and task head dense; none for the image models, which mask every layer.
     */
    public java.util.List<String> denseByDefault() {
        return readsTokens ? java.util.List.of("embedding", "classifier") : java.util.List.of();
    }

    /** Whether the model reads token ids (a text dataset such as imdb) rather than images. */
    public boolean readsTokens() {
        return readsTokens;
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
