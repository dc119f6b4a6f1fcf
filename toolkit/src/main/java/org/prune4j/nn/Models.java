package org.prune4j.nn;

import ai.djl.nn.Block;

import org.prune4j.kernel.TorchCpuAllocator;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Factories for the model zoo. Every method returns a new, uninitialised DJL {@link Block} made
 * only of DJL's own blocks, so its maskable weights are the {@code WEIGHT} parameters of its
 * {@code Linear} and {@code Conv2d} children. Input channels and size are inferred when the block
 * is initialised: the convolutional models accept 28x28x1 (MNIST) and 32x32x3 (CIFAR) inputs.
 *
 * <p>Conventions: convolutions followed by BatchNorm have no bias (BN's beta replaces it, as in
 * torchvision); fully connected layers and the BN-free LeNet-5 convolutions have biases. Each model is
 * initialised as the code it comes from initialises it ({@link ModelInit}; docs/models.md): the LeNets
 * with PyTorch's default, the ResNets with GraNet's Kaiming-normal, the VGG with GraNet's VGG scheme.
 */
public final class Models {

    /** AdamW's rate for BERT-Tiny from scratch on IMDB (docs/models.md: measured, no paper recipe exists). */
    static final double BERT_LEARNING_RATE = 5e-4;

    private static final List<ModelSpec> SPECS = List.of(
            new ModelSpec("lenet300", "LeNet-300-100: fully connected 300-100", Models::lenet300),
            new ModelSpec("mlp2048", "wide MLP: fully connected 2048-2048 (sparse-training benchmarks)",
                    Models::mlp2048),
            new ModelSpec("lenet5", "LeNet-5-Caffe of the GraNet/SNIP code: conv 20-50 with ReLU, fc 500",
                    Models::lenet5),
            new ModelSpec("lenet5-caffe", "LeNet-5 as Caffe's prototxt: no ReLU after the convs",
                    Models::lenet5Caffe),
            new ModelSpec("resnet20", "CIFAR ResNet-20, projection shortcuts", Models::resnet20),
            new ModelSpec("resnet32", "CIFAR ResNet-32, projection shortcuts", Models::resnet32),
            new ModelSpec("vgg-small", "small VGG with BatchNorm: 32-32-M-64-64-M-128-128-M",
                    Models::vggSmall),
            new ModelSpec("bert-tiny", "BERT-Tiny for text: 2 encoder layers, width 128, 2 heads, FFN 512",
                    Models::bertTiny, true, "adamw", BERT_LEARNING_RATE));

    private Models() {}

    /**
     * LeNet-300-100: flatten, fc 300, ReLU, fc 100, ReLU, fc {@code classes} (266,610 parameters
     * for 10 classes on 28x28); PyTorch's default initialisation.
     */
    public static Block lenet300(int classes) {
        requireClasses(classes);
        return ModelInit.TORCH_DEFAULT.apply(LeNet.lenet300(classes));
    }

    /**
     * The wide MLP of issue 21's sparse-training benchmarks: flatten, fc 2048, ReLU, fc 2048, ReLU, fc
     * {@code classes} (5,824,522 parameters for 10 classes on 28x28); PyTorch's default initialisation, as
     * LeNet-300-100 (the same shape, wider: no paper defines it).
     */
    public static Block mlp2048(int classes) {
        requireClasses(classes);
        return ModelInit.TORCH_DEFAULT.apply(LeNet.mlp(classes, 2048, 2048));
    }

    /**
     * LeNet-5 as the GraNet and SNIP code trains it ({@code LeNet_5_Caffe}): conv 20 5x5, ReLU, max-pool
     * 2, conv 50 5x5, ReLU, max-pool 2, fc 500, ReLU, fc {@code classes} (431,080 parameters for 10
     * classes on 28x28); PyTorch's default initialisation.
     */
    public static Block lenet5(int classes) {
        requireClasses(classes);
        return ModelInit.TORCH_DEFAULT.apply(LeNet.lenet5(classes));
    }

    /**
     * LeNet-5 as Caffe's prototxt has it: {@link #lenet5(int)} without the ReLUs after the two
     * convolutions (same 431,080 parameters); PyTorch's default initialisation.
     */
    public static Block lenet5Caffe(int classes) {
        requireClasses(classes);
        return ModelInit.TORCH_DEFAULT.apply(LeNet.lenet5Caffe(classes));
    }

    /**
     * The CIFAR ResNet of He et al. 2016 with {@code depth} = 6n + 2 layers (20, 32, 44, 56, ...)
     * and projection (1x1 conv + BN) shortcuts where the shape changes.
     *
     * @throws IllegalArgumentException if depth is not 6n + 2 with n >= 1, or classes < 1
     */
    public static Block resnet(int depth, int classes) {
        requireClasses(classes);
        return ModelInit.KAIMING_NORMAL_FAN_IN.apply(ResNetCifar.build(depth, classes));
    }

    /**
     * ResNet-20 for CIFAR: 272,474 trainable parameters on 32x32x3 with 10 classes, plus 1,568 BN
     * running statistics.
     */
    public static Block resnet20(int classes) {
        return resnet(20, classes);
    }

    /** ResNet-32 for CIFAR. */
    public static Block resnet32(int classes) {
        return resnet(32, classes);
    }

    /**
     * The small VGG with BatchNorm: [32, 32, M, 64, 64, M, 128, 128, M], global average pool, fc
     * (288,746 trainable parameters on 32x32x3 with 10 classes).
     */
    public static Block vggSmall(int classes) {
        requireClasses(classes);
        return ModelInit.VGG.apply(Vgg.small(classes));
    }

    /**
     * BERT-Tiny (Turc et al. 2019, "Well-Read Students Learn Better": L=2, H=128, A=2, FFN 512) as a
     * {@link BertClassifier} over the IMDB vocabulary ({@value org.prune4j.data.Datasets#IMDB_VOCABULARY} ids),
     * dropout 0.1; trained from scratch, BERT's initialisation. Its maskable weights: per encoder layer the Q, K,
     * V and output projections and both feed-forward layers, plus the classifier.
     */
    public static Block bertTiny(int classes) {
        requireClasses(classes);
        return new BertClassifier(org.prune4j.data.Datasets.IMDB_VOCABULARY, 128, 2, 2, 512, 0.1f, classes);
    }

    /** The names {@link #byName(String, int)} accepts, in a stable order. */
    public static List<String> names() {
        return SPECS.stream().map(ModelSpec::name).collect(Collectors.toUnmodifiableList());
    }

    /** Every registered model, in the order of {@link #names()}. */
    public static List<ModelSpec> specs() {
        return SPECS;
    }

    /**
     * The registered model called {@code name}.
     *
     * @throws IllegalArgumentException naming the bad value and the accepted names
     */
    public static ModelSpec spec(String name) {
        for (ModelSpec spec : SPECS) {
            if (spec.name().equals(name)) {
                return spec;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "': expected one of "
                + String.join(", ", names()));
    }

    /**
     * A new block of the registered model {@code name} with {@code classes} outputs.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the accepted ones)
     *     or classes < 1
     */
    public static Block byName(String name, int classes) {
        // Before any tensor of the model exists: see TorchCpuAllocator for the NaN it prevents.
        TorchCpuAllocator.zeroFill();
        return spec(name).build(classes);
    }

    static void requireClasses(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException(
                    "classes " + classes + " is out of range: expected >= 1");
        }
    }
}
