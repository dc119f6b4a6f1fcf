package org.prune4j.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * CPU inference that skips zero weights. A {@link SequentialBlock} is split in two: the layers before the
 * first flatten or Linear (convolutions, pooling) run in DJL as usual; the rest, Linear layers and ReLUs,
 * runs on the host, each Linear either as a {@link CsrMatrix} product in plain Java (sparse) or as a
 * PyTorch matmul (dense), chosen per layer: sparse when the layer's density is at most
 * {@code maxDensity}. When no layer is sparse, or the block has another shape, {@link #predict} is the
 * plain DJL forward ({@link #predictDense}).
 *
 * <p>Both paths start from host floats and end with host floats (batch-major logits), so timing them
 * compares what a caller of either would wait for.
 */
public final class SparseInference {

    /**
     * Density at or below which a Linear layer runs sparse by default. Measured on the 2-core VM with
     * {@code ./prune4j bench-export} (docs/benchmarks.md): the Java CSR product beats PyTorch's dense matmul
     * below about 20-30% density at batch 64, and far earlier at batch 1.
     */
    public static final double DEFAULT_MAX_DENSITY = 0.2;

    /** How one Linear layer runs. */
    public record Choice(String layer, String shape, double density, boolean sparse) {}

    private sealed interface Step permits SparseLinear, DenseLinear, Relu {}

    private record SparseLinear(CsrMatrix weight, float[] bias) implements Step {}

    private record DenseLinear(NDArray weight, NDArray bias, int out) implements Step {}

    private record Relu() implements Step {}

    private final Block block;
    private final NDManager manager;
    private final long[] inputShape;
    private final List<Block> prefix;
    private final List<Step> steps;
    private final List<Choice> choices;
    private final boolean anySparse;
    private final ParameterStore parameters;

    private SparseInference(Block block, NDManager manager, long[] inputShape, List<Block> prefix, List<Step> steps,
                            List<Choice> choices) {
        this.block = block;
        this.manager = manager;
        this.inputShape = inputShape.clone();
        this.prefix = prefix;
        this.steps = steps;
        this.choices = List.copyOf(choices);
        this.anySparse = choices.stream().anyMatch(Choice::sparse);
        this.parameters = new ParameterStore(manager, false);
    }

    /**
     * Plans the inference of an initialised block.
     *
     * @param manager    the manager of the block's parameters (the model's)
     * @param inputShape one example's shape with a leading batch dimension, such as {@code [1, 1, 28, 28]}
     * @param maxDensity Linear layers at or below this density run sparse; 0 forces dense, 1 forces sparse
     */
    public static SparseInference compile(Block block, NDManager manager, long[] inputShape, double maxDensity) {
        List<Block> prefix = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        List<Choice> choices = new ArrayList<>();
        if (!(block instanceof SequentialBlock)) {
            return new SparseInference(block, manager, inputShape, prefix, List.of(), List.of());
        }
        boolean host = false;
        for (Pair<String, Block> child : block.getChildren()) {
            Block layer = child.getValue();
            boolean flatten = layer instanceof LambdaBlock lambda && "batchFlatten".equals(lambda.getName());
            boolean relu = layer instanceof LambdaBlock lambda && "ReLU".equals(lambda.getName());
            if (!host && !(flatten || layer instanceof Linear)) {
                prefix.add(layer);
                continue;
            }
            host = true;
            if (flatten) {
                if (!steps.isEmpty()) {
                    return new SparseInference(block, manager, inputShape, List.of(), List.of(), List.of());
                }
            } else if (relu) {
                steps.add(new Relu());
            } else if (layer instanceof Linear) {
                Parameter weight = layer.getDirectParameters().get("weight");
                Parameter bias = layer.getDirectParameters().get("bias");
                Shape shape = weight.getArray().getShape();
                int out = (int) shape.get(0);
                int in = (int) shape.get(1);
                float[] values = weight.getArray().toFloatArray();
                long nonzeros = 0;
                for (float value : values) {
                    if (value != 0f) {
                        nonzeros++;
                    }
                }
                double density = (double) nonzeros / values.length;
                boolean sparse = density <= maxDensity;
                if (sparse) {
                    steps.add(new SparseLinear(CsrMatrix.of(values, out, in), bias == null ? null : bias.getArray().toFloatArray()));
                } else {
                    steps.add(new DenseLinear(weight.getArray(), bias == null ? null : bias.getArray().reshape(out, 1), out));
                }
                choices.add(new Choice(child.getKey(), out + "x" + in, density, sparse));
            } else {
                // Something the host path does not know: keep the whole model on DJL's dense path.
                return new SparseInference(block, manager, inputShape, List.of(), List.of(), List.of());
            }
        }
        return new SparseInference(block, manager, inputShape, prefix, steps, choices);
    }

    /** Whether at least one layer runs sparse, that is whether {@link #predict} differs from {@link #predictDense}. */
    public boolean anySparse() {
        return anySparse;
    }

    /** The choice made for every Linear layer of the host part. */
    public List<Choice> choices() {
        return choices;
    }

    /** Table "inference": layer, shape, density, path (sparse or dense). */
    public Table table() {
        Table table = Table.create("inference", StringColumn.create("layer"), StringColumn.create("shape"),
                DoubleColumn.create("density"), StringColumn.create("path"));
        for (Choice choice : choices) {
            table.stringColumn("layer").append(choice.layer());
            table.stringColumn("shape").append(choice.shape());
            table.doubleColumn("density").append(choice.density());
            table.stringColumn("path").append(choice.sparse() ? "sparse (CSR, Java)" : "dense (PyTorch)");
        }
        return table;
    }

    private Shape batchShape(int batch) {
        long[] shape = inputShape.clone();
        shape[0] = batch;
        return new Shape(shape);
    }

    /** The plain DJL forward in inference mode: batch-major inputs in, batch-major outputs out. */
    public float[] predictDense(float[] input, int batch) {
        try (NDScope ignored = new NDScope()) {
            NDArray x = manager.create(input, batchShape(batch));
            return block.forward(parameters, new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    /** Inference with the planned per-layer paths; equals {@link #predictDense} within float rounding. */
    public float[] predict(float[] input, int batch) {
        if (!anySparse) {
            return predictDense(input, batch);
        }
        float[] features = input;
        if (!prefix.isEmpty()) {
            try (NDScope ignored = new NDScope()) {
                NDList x = new NDList(manager.create(input, batchShape(batch)));
                for (Block layer : prefix) {
                    x = layer.forward(parameters, x, false);
                }
                features = x.singletonOrThrow().toFloatArray();
            }
        }
        int width = features.length / batch;
        float[] x = batch == 1 ? features : transpose(features, batch, width);
        for (Step step : steps) {
            if (step instanceof SparseLinear linear) {
                x = linear.weight().multiply(x, batch, linear.bias());
                width = linear.weight().rows();
            } else if (step instanceof DenseLinear linear) {
                try (NDScope ignored = new NDScope()) {
                    NDArray in = manager.create(x, new Shape(width, batch));
                    NDArray out = linear.weight().matMul(in);
                    if (linear.bias() != null) {
                        out = out.add(linear.bias());
                    }
                    x = out.toFloatArray();
                }
                width = linear.out();
            } else {
                for (int i = 0; i < x.length; i++) {
                    if (x[i] < 0f) {
                        x[i] = 0f;
                    }
                }
            }
        }
        return batch == 1 ? x : transpose(x, width, batch);
    }

    /** The transpose of a row-major {@code rows x cols} matrix. */
    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[base + c];
            }
        }
        return t;
    }
}
