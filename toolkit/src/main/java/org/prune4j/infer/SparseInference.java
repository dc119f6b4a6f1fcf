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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.prune4j.model.LayerNames;

/**
 * CPU inference that skips zero weights. A {@link SequentialBlock} is split in two: the layers before the
 * first flatten or Linear (convolutions, pooling) run in DJL as usual; the rest, Linear layers and ReLUs,
 * runs on the host, each Linear either as a {@link CsrMatrix} product in plain Java (sparse) or as a
 * PyTorch matmul (dense). The path is chosen per layer and per batch size: by default from an
 * {@link InferenceCostModel} calibrated on this machine (sparse pays at lower sparsity for one example
 * than for a batch of 64), or by a fixed density threshold. When no layer runs sparse for a batch, or the
 * block has another shape, {@link #predict} is the plain DJL forward ({@link #predictDense}).
 *
 * <p>Convolutions, 1x1 ones included, stay in DJL: see docs/benchmarks.md for why.
 *
 * <p>Both paths start from host floats and end with host floats (batch-major logits), so timing them
 * compares what a caller of either would wait for.
 */
public final class SparseInference implements Predictor {

    /** How one Linear layer runs at one batch size. */
    public record Choice(String layer, String shape, double density, boolean sparse) {}

    /** Decides, for one batch size, which Linear layers run sparse. */
    @FunctionalInterface
    private interface Planner {
        boolean[] plan(List<LinearStep> layers, int batch);
    }

    private sealed interface Step permits LinearStep, Relu {}

    private record LinearStep(String name, int out, int in, long nonzeros, CsrMatrix csr, float[] bias,
                              NDArray weight, NDArray biasColumn) implements Step {
        double density() {
            return (double) nonzeros / ((long) out * in);
        }
    }

    private record Relu() implements Step {}

    private final Block block;
    private final NDManager manager;
    private final long[] inputShape;
    private final List<Block> prefix;
    private final List<Step> steps;
    private final List<LinearStep> linears;
    private final Planner planner;
    private final Map<Integer, boolean[]> plans = new ConcurrentHashMap<>();
    private final ParameterStore parameters;

    private SparseInference(Block block, NDManager manager, long[] inputShape, List<Block> prefix, List<Step> steps,
                            Planner planner) {
        this.block = block;
        this.manager = manager;
        this.inputShape = inputShape.clone();
        this.prefix = prefix;
        this.steps = steps;
        this.linears = steps.stream().filter(LinearStep.class::isInstance).map(LinearStep.class::cast).toList();
        this.planner = planner;
        this.parameters = new ParameterStore(manager, false);
    }

    /**
     * Plans the inference of an initialised block, choosing each layer's path per batch with this
     * machine's {@link InferenceCostModel#measured() measured} cost model (calibrated once per JVM).
     *
     * @param manager    the manager of the block's parameters (the model's)
     * @param inputShape one example's shape with a leading batch dimension, such as {@code [1, 1, 28, 28]}
     */
    public static SparseInference compile(Block block, NDManager manager, long[] inputShape) {
        return compile(block, manager, inputShape, InferenceCostModel.measured());
    }

    /** Plans the inference, choosing each layer's path per batch with the given cost model. */
    public static SparseInference compile(Block block, NDManager manager, long[] inputShape, InferenceCostModel costs) {
        return plan(block, manager, inputShape, (layers, batch) -> cheapest(costs, layers, batch));
    }

    /**
     * Each layer on its cheaper path; then the plan as a whole against DJL's single dense forward, which
     * pays the per-call cost once instead of once per layer: a tiny sparse output layer next to two dense
     * ones saves less than the host round trips of the dense ones cost, and the whole model stays dense.
     */
    private static boolean[] cheapest(InferenceCostModel costs, List<LinearStep> layers, int batch) {
        boolean[] sparse = new boolean[layers.size()];
        double planned = 0;
        double allDense = -costs.denseNsPerCall() * (layers.size() - 1);
        for (int i = 0; i < sparse.length; i++) {
            LinearStep layer = layers.get(i);
            double dense = costs.denseNs(layer.out(), layer.in(), batch);
            double sparseNs = costs.sparseNs(layer.nonzeros(), batch);
            sparse[i] = sparseNs < dense;
            planned += Math.min(sparseNs, dense);
            allDense += dense;
        }
        return planned < allDense ? sparse : new boolean[sparse.length];
    }

    /**
     * Plans the inference with a fixed threshold whatever the batch.
     *
     * @param maxDensity Linear layers at or below this density run sparse; 0 forces dense, 1 forces sparse
     * @throws IllegalArgumentException if maxDensity is outside [0, 1]
     */
    public static SparseInference compile(Block block, NDManager manager, long[] inputShape, double maxDensity) {
        if (!(maxDensity >= 0 && maxDensity <= 1)) {
            throw new IllegalArgumentException("maxDensity " + maxDensity + " is outside [0, 1]");
        }
        return plan(block, manager, inputShape, (layers, batch) -> {
            boolean[] sparse = new boolean[layers.size()];
            for (int i = 0; i < sparse.length; i++) {
                sparse[i] = maxDensity > 0 && layers.get(i).density() <= maxDensity;
            }
            return sparse;
        });
    }

    private static SparseInference plan(Block block, NDManager manager, long[] inputShape, Planner planner) {
        List<Block> prefix = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        SparseInference allDense = new SparseInference(block, manager, inputShape, List.of(), List.of(), planner);
        if (!(block instanceof SequentialBlock)) {
            return allDense;
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
                    return allDense;
                }
            } else if (relu) {
                steps.add(new Relu());
            } else if (layer instanceof Linear) {
                // Named as LayerNames names it (fc1, fc2, ...): every earlier Linear is a host step.
                long earlier = steps.stream().filter(step -> step instanceof LinearStep).count();
                steps.add(linear(LayerNames.Kind.FC.prefix() + (earlier + 1), layer));
            } else {
                // Something the host path does not know: keep the whole model on DJL's dense path.
                return allDense;
            }
        }
        return new SparseInference(block, manager, inputShape, prefix, steps, planner);
    }

    private static LinearStep linear(String name, Block layer) {
        Parameter weight = layer.getDirectParameters().get("weight");
        Parameter bias = layer.getDirectParameters().get("bias");
        Shape shape = weight.getArray().getShape();
        int out = (int) shape.get(0);
        int in = (int) shape.get(1);
        CsrMatrix csr = CsrMatrix.of(weight.getArray().toFloatArray(), out, in);
        return new LinearStep(name, out, in, csr.nonzeros(), csr,
                bias == null ? null : bias.getArray().toFloatArray(),
                weight.getArray(), bias == null ? null : bias.getArray().reshape(out, 1));
    }

    /** Whether at least one layer runs sparse at this batch size, that is whether {@link #predict} differs from {@link #predictDense}. */
    public boolean anySparse(int batch) {
        for (boolean sparse : plan(batch)) {
            if (sparse) {
                return true;
            }
        }
        return false;
    }

    private boolean[] plan(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch " + batch + " is outside [1, infinity)");
        }
        // A pure function of the batch size: planned once per size, not at every call.
        return plans.computeIfAbsent(batch, b -> planner.plan(linears, b));
    }

    /** The choice made for every Linear layer of the host part at this batch size. */
    @Override
    public List<Choice> choices(int batch) {
        boolean[] sparse = plan(batch);
        List<Choice> choices = new ArrayList<>();
        for (int i = 0; i < sparse.length; i++) {
            LinearStep layer = linears.get(i);
            choices.add(new Choice(layer.name(), layer.out() + "x" + layer.in(), layer.density(), sparse[i]));
        }
        return choices;
    }

    private Shape batchShape(int batch) {
        long[] shape = inputShape.clone();
        shape[0] = batch;
        return new Shape(shape);
    }

    @Override
    public float[] predictDense(float[] input, int batch) {
        try (NDScope ignored = new NDScope()) {
            NDArray x = manager.create(input, batchShape(batch));
            return block.forward(parameters, new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    @Override
    public float[] predict(float[] input, int batch) {
        if (batch < 1 || input.length % batch != 0) {
            throw new IllegalArgumentException(input.length + " inputs for a batch of " + batch);
        }
        boolean[] sparse = plan(batch);
        boolean any = false;
        for (boolean layer : sparse) {
            any |= layer;
        }
        if (!any) {
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
        return batch == 1 ? predictOne(features, sparse) : predictBatch(features, batch, sparse);
    }

    private float[] predictOne(float[] features, boolean[] sparse) {
        float[] x = features;
        int layer = 0;
        for (Step step : steps) {
            if (step instanceof LinearStep linear) {
                x = sparse[layer++] ? linear.csr().multiply(x, linear.bias())
                        : DenseLayer.apply(manager, linear.weight(), linear.biasColumn(), x, linear.in(), 1);
            } else {
                relu(x);
            }
        }
        return x;
    }

    /**
     * Feature-major activations of one batch size, kept per thread between calls: allocating some thousand
     * small arrays per call cost as much as the transpose itself (measured 12 us for 784 x 64).
     */
    private record Buffers(int batch, float[][] input, float[][][] outputs) {}

    private final ThreadLocal<Buffers> buffers = new ThreadLocal<>();

    private Buffers buffers(int width, int batch) {
        Buffers current = buffers.get();
        if (current == null || current.batch() != batch || current.input().length != width) {
            float[][][] outputs = new float[linears.size()][][];
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = new float[linears.get(i).out()][batch];
            }
            current = new Buffers(batch, new float[width][batch], outputs);
            buffers.set(current);
        }
        return current;
    }

    private float[] predictBatch(float[] features, int batch, boolean[] sparse) {
        Buffers buffers = buffers(features.length / batch, batch);
        float[][] x = buffers.input();
        FeatureMajor.transpose(features, x);
        int layer = 0;
        for (Step step : steps) {
            if (step instanceof LinearStep linear) {
                float[][] y = buffers.outputs()[layer];
                if (sparse[layer++]) {
                    linear.csr().multiply(x, linear.bias(), y);
                } else {
                    FeatureMajor.split(DenseLayer.apply(manager, linear.weight(), linear.biasColumn(),
                            FeatureMajor.flatten(x), linear.in(), batch), y);
                }
                x = y;
            } else {
                for (float[] feature : x) {
                    relu(feature);
                }
            }
        }
        return FeatureMajor.toBatchMajor(x);
    }

    private static void relu(float[] x) {
        for (int i = 0; i < x.length; i++) {
            // max, not a branch, so that C2 vectorises it; NaN stays NaN as in PyTorch.
            x[i] = Math.max(x[i], 0f);
        }
    }
}
