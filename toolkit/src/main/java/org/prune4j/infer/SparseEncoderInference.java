package org.prune4j.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.prune4j.model.LayerNames;
import org.prune4j.nn.BertClassifier;
import org.prune4j.nn.EncoderLayer;

/**
 * CPU inference of the zoo's BERT classifier ({@link BertClassifier}) that skips zero weights in its Linear layers:
 * the Q, K, V and output projections and both feed-forward layers of every encoder layer, and the classifier. Each
 * runs on every token of the batch, either as a {@link CsrMatrix} product in plain Java (sparse: the token rows are
 * the kernel's batch) or as DJL's dense {@link Linear#linear}; the choice is made per layer and per batch size.
 *
 * <p>Why the encoder's forward is written out here: DJL's {@code ScaledDotProductAttentionBlock} calls its own
 * private Linear projections, so no kernel can be put in their place. Everything else is DJL's own blocks
 * (token embedding, LayerNorm) or the same NDArray operations in the same order as DJL's attention block (heads
 * split as (B, N, S, H), scores scaled by 1/sqrt(H), padding offset -100000, softmax, heads merged), so an all-dense
 * plan gives {@link #predictDense}'s outputs and a sparse plan the same within float rounding, as the tests check. Dropout is off, as in any inference.
 *
 * <p>The default plan times each layer both ways on this machine, per batch size; a fixed density threshold or an
 * {@link InferenceCostModel} (a layer runs sparse when its CSR product plus one host round trip is cheaper than the
 * dense product) give plans that do not depend on timing.
 */
public final class SparseEncoderInference implements Predictor {

    /** One Linear layer of the encoder or the classifier, with both of its paths ready. */
    private record Layer(String name, int out, int in, CsrMatrix csr, float[] hostBias, NDArray weight, NDArray bias) {
        double density() {
            return (double) csr.nonzeros() / ((long) out * in);
        }
    }

    /** The blocks and layers of one encoder layer, in forward order. */
    private record Encoder(int heads, Layer key, Layer query, Layer value, Layer out, Block attentionNorm, Layer ff1,
                           Layer ff2, Block outputNorm) {}

    /** Times one layer's two paths on random rows: the measured plan's decision. */
    private static final class LayerTiming {
        private static final int WARM_UP = 2;
        private static final int TIMED = 5;

        private LayerTiming() {}

        static boolean sparseIsFaster(NDManager manager, Layer layer, int rows) {
            try (NDScope ignored = new NDScope()) {
                NDArray x = manager.randomUniform(-1f, 1f, new Shape(rows, layer.in()));
                long dense = median(() -> Linear.linear(x, layer.weight(), layer.bias()).singletonOrThrow().getShape());
                long sparse = median(() -> sparseLinear(manager, layer, x).getShape());
                return sparse < dense;
            }
        }

        private static long median(java.util.function.Supplier<Shape> forward) {
            long[] nanos = new long[TIMED];
            for (int i = 0; i < WARM_UP + TIMED; i++) {
                try (NDScope ignored = new NDScope()) {
                    long start = System.nanoTime();
                    forward.get();
                    if (i >= WARM_UP) {
                        nanos[i - WARM_UP] = System.nanoTime() - start;
                    }
                }
            }
            java.util.Arrays.sort(nanos);
            return nanos[TIMED / 2];
        }
    }

    /** Decides, for a number of token rows, which layers run sparse. */
    @FunctionalInterface
    private interface Planner {
        boolean sparse(Layer layer, int rows);
    }

    private final BertClassifier block;
    private final NDManager manager;
    private final int length;
    private final Block tokenEmbedding;
    private final Block embeddingNorm;
    private final NDArray positions;
    private final List<Encoder> encoders;
    private final Layer classifier;
    private final List<Layer> layers;
    private final Planner planner;
    private final Map<Integer, boolean[]> plans = new ConcurrentHashMap<>();
    private final ParameterStore parameters;

    private SparseEncoderInference(BertClassifier block, NDManager manager, int length, Planner planner) {
        this.block = block;
        this.manager = manager;
        this.length = length;
        this.planner = planner;
        this.parameters = new ParameterStore(manager, false);
        Map<String, Block> children = children(block, "");
        this.tokenEmbedding = child(children, "tokenEmbedding");
        this.embeddingNorm = child(children, "embeddingNorm");
        this.positions = block.getDirectParameters().get("positionEmbedding").getArray();
        // Readable names (enc1.query, classifier) from DJL's paths, exactly as SparseModel names the layers.
        List<String> paths = new ArrayList<>();
        List<Block> linears = new ArrayList<>();
        collectLinears(block, "", paths, linears);
        List<String> names = LayerNames.of(paths.stream().map(p -> LayerNames.Kind.FC).toList(), paths);
        Map<String, Layer> byName = new java.util.LinkedHashMap<>();
        for (int i = 0; i < linears.size(); i++) {
            byName.put(names.get(i), layer(names.get(i), linears.get(i)));
        }
        this.layers = List.copyOf(byName.values());
        this.classifier = byName.get("classifier");
        List<Encoder> found = new ArrayList<>();
        for (Pair<String, Block> child : block.getChildren()) {
            if (child.getValue() instanceof EncoderLayer encoder) {
                String n = "enc" + (found.size() + 1) + ".";
                Map<String, Block> parts = children(encoder, "");
                found.add(new Encoder(encoder.heads(), byName.get(n + "key"), byName.get(n + "query"),
                        byName.get(n + "value"), byName.get(n + "out"), child(parts, "attentionNorm"),
                        byName.get(n + "ff1"), byName.get(n + "ff2"), child(parts, "outputNorm")));
            }
        }
        this.encoders = List.copyOf(found);
    }

    /**
     * Plans the inference of an initialised BERT classifier by timing each layer both ways, once per batch size, on
     * random rows of its width: the dense product against the host round trip and CSR product. Why not the
     * {@link InferenceCostModel} of the MLP heads: its dense side is a host-to-host product, while here a dense
     * layer stays inside DJL and only the sparse one pays the copies out and back, which cost more per float than
     * the kernel saves (docs/benchmarks.md, "Sparse inference of BERT-Tiny").
     *
     * @param manager    the manager of the block's parameters (the model's)
     * @param inputShape one example's shape with a leading batch dimension: {@code [1, tokens]} or {@code [1, 1, 1, tokens]}
     */
    public static SparseEncoderInference compile(BertClassifier block, NDManager manager, long[] inputShape) {
        return new SparseEncoderInference(block, manager, tokens(inputShape),
                (layer, rows) -> LayerTiming.sparseIsFaster(manager, layer, rows));
    }

    /** Plans the inference, choosing each layer's path per batch with the given cost model. */
    public static SparseEncoderInference compile(BertClassifier block, NDManager manager, long[] inputShape,
                                                 InferenceCostModel costs) {
        return new SparseEncoderInference(block, manager, tokens(inputShape), (layer, rows) ->
                costs.sparseNs(layer.csr().nonzeros(), rows) + costs.denseNsPerCall() < costs.denseNs(layer.out(), layer.in(), rows));
    }

    /**
     * Plans the inference with a fixed threshold whatever the batch.
     *
     * @param maxDensity layers at or below this density run sparse; 0 forces dense, 1 forces sparse
     * @throws IllegalArgumentException if maxDensity is outside [0, 1]
     */
    public static SparseEncoderInference compile(BertClassifier block, NDManager manager, long[] inputShape,
                                                 double maxDensity) {
        if (!(maxDensity >= 0 && maxDensity <= 1)) {
            throw new IllegalArgumentException("maxDensity " + maxDensity + " is outside [0, 1]");
        }
        return new SparseEncoderInference(block, manager, tokens(inputShape),
                (layer, rows) -> maxDensity > 0 && layer.density() <= maxDensity);
    }

    /** Tokens per review: every axis after the batch ([1, 128], or [1, 1, 1, 128] as IMDB's examples are shaped). */
    private static int tokens(long[] inputShape) {
        long tokens = 1;
        for (int i = 1; i < inputShape.length; i++) {
            tokens *= inputShape[i];
        }
        if (inputShape.length < 2 || tokens < 1) {
            throw new IllegalArgumentException("input shape " + java.util.Arrays.toString(inputShape)
                    + " has no tokens: expected [batch, tokens]");
        }
        return (int) tokens;
    }

    private static Map<String, Block> children(Block parent, String prefix) {
        Map<String, Block> found = new java.util.LinkedHashMap<>();
        for (Pair<String, Block> child : parent.getChildren()) {
            // DJL prefixes a child's name with its position (01tokenEmbedding): the role is what follows.
            found.put(child.getKey().replaceFirst("^\\d+", ""), child.getValue());
        }
        return found;
    }

    private static Block child(Map<String, Block> children, String role) {
        Block child = children.get(role);
        if (child == null) {
            throw new IllegalArgumentException("the block has no '" + role + "' child: expected the zoo's BertClassifier");
        }
        return child;
    }

    private static void collectLinears(Block parent, String prefix, List<String> paths, List<Block> linears) {
        for (Pair<String, Block> child : parent.getChildren()) {
            String path = prefix.isEmpty() ? child.getKey() : prefix + "_" + child.getKey();
            if (child.getValue() instanceof Linear) {
                paths.add(path);
                linears.add(child.getValue());
            }
            collectLinears(child.getValue(), path, paths, linears);
        }
    }

    private static Layer layer(String name, Block linear) {
        Parameter weight = linear.getDirectParameters().get("weight");
        Parameter bias = linear.getDirectParameters().get("bias");
        Shape shape = weight.getArray().getShape();
        int out = (int) shape.get(0);
        int in = (int) shape.get(1);
        return new Layer(name, out, in, CsrMatrix.of(weight.getArray().toFloatArray(), out, in),
                bias == null ? null : bias.getArray().toFloatArray(), weight.getArray(),
                bias == null ? null : bias.getArray());
    }

    private boolean[] plan(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch " + batch + " is outside [1, infinity)");
        }
        return plans.computeIfAbsent(batch, b -> {
            // Every Linear but the classifier runs once per token; the classifier once per review.
            boolean[] sparse = new boolean[layers.size()];
            for (int i = 0; i < sparse.length; i++) {
                Layer layer = layers.get(i);
                sparse[i] = planner.sparse(layer, layer == classifier ? b : b * length);
            }
            return sparse;
        });
    }

    @Override
    public List<SparseInference.Choice> choices(int batch) {
        boolean[] sparse = plan(batch);
        List<SparseInference.Choice> choices = new ArrayList<>();
        for (int i = 0; i < sparse.length; i++) {
            Layer layer = layers.get(i);
            choices.add(new SparseInference.Choice(layer.name(), layer.out() + "x" + layer.in(), layer.density(), sparse[i]));
        }
        return choices;
    }

    @Override
    public float[] predictDense(float[] input, int batch) {
        try (NDScope ignored = new NDScope()) {
            NDArray ids = manager.create(input, new Shape(batch, length));
            return block.forward(parameters, new NDList(ids), false).singletonOrThrow().toFloatArray();
        }
    }

    @Override
    public float[] predict(float[] input, int batch) {
        if (batch < 1 || input.length != batch * length) {
            throw new IllegalArgumentException(input.length + " token ids for a batch of " + batch + " reviews of "
                    + length + " tokens");
        }
        boolean[] plan = plan(batch);
        try (NDScope ignored = new NDScope()) {
            NDArray ids = manager.create(input, new Shape(batch, length)).toType(DataType.INT64, false);
            NDArray keep = ids.neq(BertClassifier.PAD).toType(DataType.FLOAT32, false);
            NDArray tokens = tokenEmbedding.forward(parameters, new NDList(ids), false).singletonOrThrow();
            NDArray x = embeddingNorm.forward(parameters, new NDList(tokens.add(positions)), false).singletonOrThrow();
            // As DJL's attention turns the (B, T, F) mask of 1s into offsets: (1 - keep) * -100000, for every head.
            NDArray offset = keep.reshape(batch, 1, 1, length).mul(manager.create(-1f)).add(manager.create(1f))
                    .mul(manager.create(-100000f));
            for (Encoder encoder : encoders) {
                x = encode(encoder, x, offset, batch, plan);
            }
            NDArray keep3 = keep.expandDims(2);
            NDArray pooled = x.mul(keep3).sum(new int[] {1}).div(keep.sum(new int[] {1}, true).maximum(1f));
            return linear(classifier, pooled, plan).toFloatArray();
        }
    }

    /** One post-LN encoder layer, as {@link EncoderLayer} and DJL's attention block compute it in inference. */
    private NDArray encode(Encoder encoder, NDArray x, NDArray offset, int batch, boolean[] plan) {
        long e = x.getShape().get(2);
        long heads = encoder.heads();
        long h = e / heads;
        NDArray keys = headsOf(linear(encoder.key(), x, plan), batch, heads, h);
        NDArray queries = headsOf(linear(encoder.query(), x, plan), batch, heads, h);
        NDArray values = headsOf(linear(encoder.value(), x, plan), batch, heads, h);
        NDArray scores = queries.matMul(keys.transpose(0, 1, 3, 2)).mul(manager.create(1f / (float) Math.sqrt(h)))
                .add(offset);
        NDArray attended = scores.softmax(3).matMul(values).transpose(0, 2, 1, 3).reshape(batch, length, e);
        NDArray projected = linear(encoder.out(), attended, plan);
        NDArray normed = encoder.attentionNorm().forward(parameters, new NDList(x.add(projected)), false)
                .singletonOrThrow();
        NDArray inner = Activation.gelu(linear(encoder.ff1(), normed, plan));
        NDArray transformed = linear(encoder.ff2(), inner, plan);
        return encoder.outputNorm().forward(parameters, new NDList(normed.add(transformed)), false).singletonOrThrow();
    }

    /** (B*S, E) projections as (B, N, S, H) heads, as DJL's attention block splits them. */
    private NDArray headsOf(NDArray projected, int batch, long heads, long h) {
        return projected.reshape(batch, length, heads, h).transpose(0, 2, 1, 3);
    }

    /**
     * {@code x W^T + b} over the last axis of x, (B, S, E) or (B, E): DJL's Linear on the same shape as DJL's blocks
     * give it (so a dense layer computes exactly what they compute), or the CSR kernel with every row as its batch.
     */
    private NDArray linear(Layer layer, NDArray x, boolean[] plan) {
        if (!plan[layers.indexOf(layer)]) {
            return Linear.linear(x, layer.weight(), layer.bias()).singletonOrThrow();
        }
        return sparseLinear(manager, layer, x);
    }

    /** The CSR kernel over every row of x: copied out of DJL feature-major, multiplied, copied back in x's shape. */
    private static NDArray sparseLinear(NDManager manager, Layer layer, NDArray x) {
        Shape shape = x.getShape();
        int rows = (int) (shape.size() / layer.in());
        float[][] features = new float[layer.in()][rows];
        FeatureMajor.transpose(x.toFloatArray(), features);
        float[][] y = new float[layer.out()][rows];
        layer.csr().multiply(features, layer.hostBias(), y);
        long[] outShape = shape.getShape().clone(); // getShape() is the Shape's own array
        outShape[outShape.length - 1] = layer.out();
        return manager.create(FeatureMajor.toBatchMajor(y), new Shape(outShape));
    }
}
