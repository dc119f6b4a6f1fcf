package org.prune4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.transformer.IdEmbedding;
import ai.djl.util.Pair;

import org.prune4j.density.LayerShape;
import org.prune4j.mask.TopK;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The maskable weights of a DJL block and one mask per weight.
 *
 * <p>Maskable means the weight of a Linear or convolution layer, or the table of a token embedding
 * ({@link IdEmbedding}, which models may keep dense by default); biases, LayerNorm and BatchNorm parameters are
 * never masked. A weight without a mask is dense. Masks are float32 tensors of 0 and 1 on the
 * weight's device, owned by this model: setting a mask multiplies the weight at once and tells the
 * listeners (the mask-aware optimizer), so a method never has to remember either.
 */
public final class SparseModel implements AutoCloseable {

    private final List<MaskedWeight> weights;
    private final Map<String, MaskedWeight> byName;
    private final Map<String, MaskedWeight> byPath;
    private final Map<String, MaskedWeight> byParameterId;
    private final NDArray[] masks;
    private final NDManager maskManager;
    private final List<MaskListener> listeners = new CopyOnWriteArrayList<>();

    private SparseModel(List<MaskedWeight> weights) {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("the block has no maskable Linear or convolution weights"
                    + " (after include/exclude patterns)");
        }
        this.weights = List.copyOf(weights);
        this.byName = new LinkedHashMap<>();
        this.byPath = new LinkedHashMap<>();
        this.byParameterId = new LinkedHashMap<>();
        for (MaskedWeight weight : this.weights) {
            byName.put(weight.name(), weight);
            byPath.put(weight.path(), weight);
            byParameterId.put(weight.parameter().getId(), weight);
        }
        this.masks = new NDArray[weights.size()];
        NDArray first = weights.get(0).parameter().getArray();
        this.maskManager = first.getManager().newSubManager(first.getDevice());
    }

    /** All Linear, convolution and embedding weights of an initialised block. */
    public static SparseModel of(Block block) {
        return builder(block).build();
    }

    /** Chooses which weights of an initialised block to mask, by name pattern. */
    public static Builder builder(Block block) {
        return new Builder(block);
    }

    /** The maskable weights, input to output. */
    public List<MaskedWeight> weights() {
        return weights;
    }

    /** The shapes of the maskable weights, input to output, for density allocation. */
    public List<LayerShape> shapes() {
        return weights.stream()
                .map(w -> new LayerShape(w.name(), w.shape().getShape()))
                .collect(Collectors.toUnmodifiableList());
    }

    /** The names of the maskable weights, input to output. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(byName.keySet()));
    }

    /**
     * The weight with this layer name ({@code fc1}), or with this DJL path ({@code 02Linear}).
     *
     * @throws IllegalArgumentException naming the unknown layer and the known ones
     */
    public MaskedWeight weight(String name) {
        MaskedWeight weight = byName.getOrDefault(name, byPath.get(name));
        if (weight == null) {
            throw new IllegalArgumentException("unknown layer '" + name + "': expected one of " + names());
        }
        return weight;
    }

    /** The maskable weight held by the DJL parameter with this id, or null if it is not masked. */
    public MaskedWeight weightOfParameter(String parameterId) {
        return byParameterId.get(parameterId);
    }

    /** The weight tensor itself (the live parameter array). */
    public NDArray values(MaskedWeight weight) {
        return weight.parameter().getArray();
    }

    /** The current mask of a weight, or null when it is dense. The array stays owned by this model. */
    public NDArray mask(MaskedWeight weight) {
        return masks[weight.index()];
    }

    /**
     * Replaces the mask of a weight and zeroes the masked weights at once. The model takes ownership
     * of {@code mask}; pass null to make the weight dense.
     */
    public void setMask(MaskedWeight weight, NDArray mask) {
        NDArray old = masks[weight.index()];
        NDArray owned = null;
        if (mask != null) {
            if (!mask.getShape().equals(weight.shape())) {
                throw new IllegalArgumentException("mask shape " + mask.getShape() + " does not match layer '"
                        + weight.name() + "' of shape " + weight.shape());
            }
            owned = mask.getDataType() == DataType.FLOAT32 ? mask : mask.toType(DataType.FLOAT32, false);
            owned.attach(maskManager);
            // The model owns masks beyond any per-step scope the caller may have opened.
            NDScope.unregister(owned);
            applyMask(values(weight), owned);
        }
        masks[weight.index()] = owned;
        for (MaskListener listener : listeners) {
            listener.maskChanged(weight, old, owned);
        }
        if (old != null && old != owned) {
            old.close();
        }
    }

    /** Multiplies every masked weight by its mask, in place; run after each optimizer step. */
    public void applyMasks() {
        for (MaskedWeight weight : weights) {
            NDArray mask = masks[weight.index()];
            if (mask != null) {
                applyMask(values(weight), mask);
            }
        }
    }

    /**
     * {@code weight *= mask} in place, leaving +0.0 at every pruned position. The product alone leaves
     * -0.0 where the weight was negative; -0.0 acts as 0 in every forward pass, but an exported model
     * would have to store it to reload bit for bit (docs/export-format.md). Adding +0.0 turns -0.0 into
     * +0.0 and keeps every other value's bits; it costs one more elementwise pass (docs/benchmarks.md).
     */
    public static void applyMask(NDArray weight, NDArray mask) {
        weight.muli(mask).addi(0f);
    }

    /** Registers a listener told of every mask change. */
    public void addListener(MaskListener listener) {
        listeners.add(listener);
    }

    /** Removes a listener. */
    public void removeListener(MaskListener listener) {
        listeners.remove(listener);
    }

    /** Nonzero weights of one layer; reads one number from the device. */
    public long nonzeros(MaskedWeight weight) {
        // A scope, not try-with-resources: countNonzero makes an intermediate that would outlive the count.
        try (NDScope ignored = new NDScope()) {
            return values(weight).countNonzero().getLong();
        }
    }

    /** Total number of maskable weights. */
    public long totalWeights() {
        return weights.stream().mapToLong(MaskedWeight::size).sum();
    }

    /** Fraction of maskable weights that are zero, over all masked layers; reads from the device. */
    public double sparsity() {
        long nonzero = 0;
        for (MaskedWeight weight : weights) {
            nonzero += nonzeros(weight);
        }
        return 1.0 - (double) nonzero / totalWeights();
    }

    /** Fraction of maskable weights kept by the masks (dense weights count as kept). */
    public double maskDensity() {
        long kept = 0;
        for (MaskedWeight weight : weights) {
            NDArray mask = masks[weight.index()];
            if (mask == null) {
                kept += weight.size();
            } else {
                kept += TopK.ones(mask);
            }
        }
        return (double) kept / totalWeights();
    }

    @Override
    public void close() {
        maskManager.close();
        listeners.clear();
    }

    /** Selects the maskable weights of a block by layer-name patterns. */
    public static final class Builder {
        private final Block block;
        private final List<Pattern> includes = new ArrayList<>();
        private final List<Pattern> excludes = new ArrayList<>();

        private Builder(Block block) {
            this.block = block;
        }

        /** Masks only layers whose name matches one of the included regular expressions. */
        public Builder include(String regex) {
            includes.add(Pattern.compile(regex));
            return this;
        }

        /** Never masks layers whose name matches this regular expression. */
        public Builder exclude(String regex) {
            excludes.add(Pattern.compile(regex));
            return this;
        }

        /** Finds the weights; the block must be initialised. */
        public SparseModel build() {
            if (!block.isInitialized()) {
                throw new IllegalStateException("initialise the block before wrapping it in a SparseModel");
            }
            List<Pair<String, Block>> layers = new ArrayList<>();
            // A bare Linear or convolution is a model too: it is its own only layer.
            if (isMaskableLayer(block)) {
                layers.add(new Pair<>(block.getClass().getSimpleName(), block));
            }
            collect(block, "", layers);
            // Names count every maskable layer, selected or not: fc3 stays fc3 when fc1 is excluded.
            List<String> names = LayerNames.of(layers.stream().map(l -> kind(l.getValue())).toList(),
                    layers.stream().map(Pair::getKey).toList());
            List<MaskedWeight> found = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                String path = layers.get(i).getKey();
                Parameter weight = layers.get(i).getValue().getDirectParameters().get(weightName(layers.get(i).getValue()));
                if (weight != null && selected(names.get(i), path)) {
                    found.add(new MaskedWeight(names.get(i), path, found.size(), weight, weight.getArray().getShape()));
                }
            }
            return new SparseModel(found);
        }

        private void collect(Block parent, String prefix, List<Pair<String, Block>> layers) {
            for (Pair<String, Block> child : parent.getChildren()) {
                String path = prefix.isEmpty() ? child.getKey() : prefix + "_" + child.getKey();
                Block block = child.getValue();
                if (isMaskableLayer(block)) {
                    layers.add(new Pair<>(path, block));
                }
                collect(block, path, layers);
            }
        }

        /** Patterns match the readable name (fc1) or DJL's path (02Linear), so older patterns keep working. */
        private boolean selected(String name, String path) {
            boolean included = includes.isEmpty() || includes.stream().anyMatch(p -> matches(p, name, path));
            boolean excluded = excludes.stream().anyMatch(p -> matches(p, name, path));
            return included && !excluded;
        }

        private static boolean matches(Pattern pattern, String name, String path) {
            return pattern.matcher(name).find() || pattern.matcher(path).find();
        }

        private static boolean isMaskableLayer(Block block) {
            return block instanceof Linear || block instanceof Convolution || block instanceof IdEmbedding;
        }

        private static LayerNames.Kind kind(Block block) {
            return block instanceof Linear ? LayerNames.Kind.FC
                    : block instanceof IdEmbedding ? LayerNames.Kind.EMBEDDING : LayerNames.Kind.CONV;
        }

        /** DJL's name of the layer's weight: an embedding's table is its {@code embedding} parameter. */
        private static String weightName(Block block) {
            return block instanceof IdEmbedding ? "embedding" : "weight";
        }
    }
}
