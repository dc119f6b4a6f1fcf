package org.prune4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import org.prune4j.kernel.NativeKernels;
import org.prune4j.kernel.SparseMlpKernel;
import org.prune4j.kernel.SparseMlpKernel.KeptRows;
import org.prune4j.kernel.TrainingCostModel;
import org.prune4j.mask.TopK;
import org.prune4j.method.SparsityMethod;
import org.prune4j.model.MaskListener;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.nn.WeightTransform;
import org.prune4j.optim.MaskAwareOptimizer;
import org.prune4j.optim.MaskAwareSgd;
import org.prune4j.report.KernelPaths;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training steps of a masked MLP through {@link SparseMlpKernel}, where they apply: the model is a sequence of
 * Linear layers with ReLU between them (a flatten first is allowed), every Linear weight is masked (or runs on the
 * dense path, which needs PyTorch's BLAS), the optimizer
 * is {@link MaskAwareSgd}, the method changes weights only through masks and its after-backward hook does nothing at
 * the step ({@link SparsityMethod#needsBackwardHookAt}: static, SNIP after scoring, GMP, and RigL, SET and GraNet
 * between their mask updates), and the tensors are float32 on the CPU with the kernels loaded.
 *
 * <p>Each layer takes the cheaper of the kernel's two paths, from {@link TrainingCostModel}: sparse (kept weights
 * only) below the calibrated crossover density, dense (PyTorch's BLAS, inside the same native call) at or above it,
 * so a model whose first layer is 98% sparse and whose last is 50% runs each where it is fastest. The crossover is
 * calibrated once per machine, thread count and batch size (and kept on disk, so every run on the machine plans
 * alike), and saved in checkpoints so that a resumed run takes the same paths.
 * {@link SparseKernel#AUTO} takes the kernel wherever the method allows it: with every layer on its cheaper path it is
 * never slower than DJL's step, and a dense model gains the fused rest (docs/benchmarks.md). Results agree with DJL's
 * path within float rounding, not bit for bit; {@link SparseKernel#OFF} keeps DJL's.
 */
final class SparseMlpStep implements MaskListener, AutoCloseable {

    private final List<Linear> layers;
    private final List<MaskedWeight> masked;
    private final int[] widths;
    private final SparseModel model;
    private final MaskAwareSgd optimizer;
    private final SparsityMethod method;
    private final SparseKernel mode;
    /** Per layer: a sparse layer's kept rows, null for a dense one. */
    private final List<KeptRows> rows = new ArrayList<>();
    /** Per layer: whether it runs on the kernel's dense path at the next step. */
    private final boolean[] denseLayer;
    /** Per layer: room for a dense layer's weight gradient, made when the layer first runs dense. */
    private final ByteBuffer[] weightGradients;
    /** Whether layers can run dense inside the kernel (PyTorch's sgemm_ found). */
    private final boolean denseAvailable;
    /**
     * The kept fraction from which a layer runs dense; without the dense path, the kept fraction of the whole model
     * from which {@link SparseKernel#AUTO} leaves the kernel.
     */
    private double crossover;
    private final ByteBuffer scratch;
    /** The step's mean loss and correct count, two float64 the kernel writes. */
    private final ByteBuffer result = ByteBuffer.allocateDirect(2 * Double.BYTES).order(ByteOrder.nativeOrder());
    /** Each layer's weight and bias parameter ids and tensors, in the kernel's order: fixed for the session. */
    private final List<String> parameterIds = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<NDArray> parameterArrays = new ArrayList<>();
    /** The kernel's tensor arguments, made once: the tensors are updated in place (checked each step). */
    private Object[] buffers;
    /** The optimizer state the buffers were made from; a checkpoint's restore replaces it. */
    private List<NDArray[]> buffersState;
    private boolean rowsCurrent;
    /** Whether a step went through the kernel in this session (what {@link #paths()} reports). */
    private boolean used;
    private double density;

    private SparseMlpStep(List<Linear> layers, List<MaskedWeight> masked, int[] widths, SparseModel model,
            MaskAwareSgd optimizer, SparsityMethod method, SparseKernel mode, int batch) {
        this.layers = layers;
        this.masked = masked;
        this.widths = widths;
        this.model = model;
        this.optimizer = optimizer;
        this.method = method;
        this.mode = mode;
        this.scratch = SparseMlpKernel.floats(SparseMlpKernel.scratchFloats(widths, batch));
        this.denseLayer = new boolean[layers.size()];
        this.weightGradients = new ByteBuffer[layers.size()];
        TrainingCostModel costs = TrainingCostModel.measured(batch);
        this.denseAvailable = costs != null;
        this.crossover = costs == null ? TrainingCostModel.FALLBACK_CROSSOVER : costs.crossoverDensity();
        for (Linear layer : layers) {
            for (String name : new String[] {"weight", "bias"}) {
                Parameter parameter = layer.getDirectParameters().get(name);
                parameterIds.add(parameter.getId());
                parameters.add(parameter);
                parameterArrays.add(parameter.getArray());
            }
        }
        model.addListener(this);
    }

    /**
     * The sparse step for this run, or null where it does not apply or {@code mode} is {@link SparseKernel#OFF}.
     *
     * @throws IllegalArgumentException when {@code mode} is {@link SparseKernel#ON} and the run is not one the
     *                                  kernel can train, naming why
     */
    static SparseMlpStep of(SparseKernel mode, Block block, SparseModel model, MaskAwareOptimizer optimizer,
            SparsityMethod method, int batch, int inputWidth) {
        if (mode == SparseKernel.OFF) {
            return null;
        }
        String refusal = null;
        List<Linear> layers = linearLayers(block);
        if (!NativeKernels.available()) {
            refusal = "Prune4J's native kernels are not loaded (" + NativeKernels.status() + ")";
        } else if (layers == null) {
            refusal = "the model is not a sequence of Linear layers with ReLU between them";
        } else if (!(optimizer instanceof MaskAwareSgd)) {
            refusal = "the optimizer is not SGD";
        } else if (method instanceof WeightTransform) {
            refusal = "method '" + method.name() + "' changes weights inside the forward pass";
        }
        List<MaskedWeight> masked = new ArrayList<>();
        if (refusal == null) {
            for (Linear layer : layers) {
                Parameter weight = layer.getDirectParameters().get("weight");
                MaskedWeight maskedWeight = model.weightOfParameter(weight.getId());
                NDArray array = weight.getArray();
                if (layer.getDirectParameters().get("bias") == null) {
                    refusal = "a Linear layer has no bias";
                    break;
                }
                if (maskedWeight == null && !SparseMlpKernel.denseProductAvailable()) {
                    // An unmasked layer trains on the kernel's dense path, which needs PyTorch's BLAS.
                    refusal = "a Linear layer is not masked (excluded from pruning) and PyTorch's sgemm_ was not found";
                    break;
                }
                if (!NativeKernels.usable(array)) {
                    refusal = "the weights are not float32 PyTorch tensors on the CPU";
                    break;
                }
                masked.add(maskedWeight);
            }
        }
        if (refusal != null) {
            if (mode == SparseKernel.ON) {
                throw new IllegalArgumentException("sparse kernel 'on' cannot train this run: " + refusal
                        + "; expected an MLP of masked Linear layers with ReLU, SGD and a fixed-mask method");
            }
            return null;
        }
        int[] widths = new int[layers.size() + 1];
        widths[0] = inputWidth;
        for (int i = 0; i < layers.size(); i++) {
            Shape shape = layers.get(i).getDirectParameters().get("weight").getArray().getShape();
            widths[i + 1] = Math.toIntExact(shape.get(0));
            if (shape.get(1) != widths[i]) {
                if (mode == SparseKernel.ON) {
                    throw new IllegalArgumentException("sparse kernel 'on' cannot train this run: layer "
                            + (i + 1) + " takes " + shape.get(1) + " inputs, not "
                            + widths[i] + "; expected a plain MLP");
                }
                return null;
            }
        }
        return new SparseMlpStep(layers, masked, widths, model, (MaskAwareSgd) optimizer, method, mode, batch);
    }

    /** Flatten?, (Linear, ReLU)*, Linear: the Linear layers in order, or null for any other shape. */
    static List<Linear> linearLayers(Block block) {
        if (!(block instanceof SequentialBlock sequential)) {
            return null;
        }
        List<Block> children = sequential.getChildren().values();
        List<Linear> layers = new ArrayList<>();
        int start = 0;
        if (!children.isEmpty() && isLambda(children.get(0), "batchFlatten")) {
            start = 1;
        }
        for (int i = start; i < children.size(); i++) {
            Block child = children.get(i);
            boolean expectLinear = (i - start) % 2 == 0;
            if (expectLinear && child instanceof Linear linear) {
                layers.add(linear);
            } else if (!expectLinear && isLambda(child, "ReLU")) {
                continue;
            } else {
                return null;
            }
        }
        // Ends with a Linear layer (the logits), never a ReLU.
        return layers.isEmpty() || (children.size() - start) % 2 == 0 ? null : layers;
    }

    private static boolean isLambda(Block block, String name) {
        return block instanceof LambdaBlock lambda && name.equals(lambda.getName());
    }

    /**
     * Whether the step about to run ({@code step}, 0-based) goes through the kernel: the method's after-backward
     * hook does nothing at it, and under {@link SparseKernel#AUTO} the kernel is the faster path. With its dense
     * path each layer takes its cheaper side, so the kernel is never slower than DJL's step (the same BLAS, the
     * rest fused); without it, only when the model's kept fraction is at most the crossover.
     */
    boolean applies(long step) {
        if (method.needsBackwardHookAt(step)) {
            return false;
        }
        ensureRows();
        return mode == SparseKernel.ON || denseAvailable || density <= crossover;
    }

    /** The kept fraction over the Linear weights, as the kernel sees them. */
    double density() {
        ensureRows();
        return density;
    }

    /** Per layer, in order, whether it runs on the kernel's dense path at the next step (for tests and reports). */
    boolean[] denseLayers() {
        ensureRows();
        return denseLayer.clone();
    }

    /**
     * Each layer's path at the latest kernel step, under layers.csv's names, or null where no step of this session
     * went through the kernel.
     */
    KernelPaths paths() {
        if (!used) {
            return null;
        }
        ensureRows();
        Map<String, String> paths = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            // A layer left out of pruning has no mask and no layers.csv row: named as LayerNames names an MLP's.
            String name = masked.get(i) != null ? masked.get(i).name() : "fc" + (i + 1);
            paths.put(name, denseLayer[i] ? KernelPaths.DENSE : KernelPaths.SPARSE);
        }
        return new KernelPaths(crossover, paths);
    }

    /** The kept fraction from which a layer runs dense (see {@link #crossover}). */
    double crossover() {
        return crossover;
    }

    /**
     * Takes a saved crossover (a checkpoint's), so that a resumed run gives each layer the path it had. Where
     * this process has no dense path, every layer stays on the sparse one, the only one the kernel can run.
     */
    void useCrossover(double saved) {
        if (saved > 0 && saved <= 1) {
            crossover = saved;
            rowsCurrent = false;
        }
    }

    /**
     * One step on this batch; counts the update in the optimizer. Returns the batch's mean loss and its
     * number of correct predictions.
     */
    double[] run(NDArray images, NDArray labels) {
        ensureRows();
        used = true;
        List<NDArray[]> states = optimizer.countExternalUpdate(parameterIds, parameterArrays);
        float lr = optimizer.learningRateAt(optimizer.updateCount() - 1L);
        if (buffers == null || !sameState(states)) {
            buffers = buffers(states);
            buffersState = states;
        }
        int batch = Math.toIntExact(labels.size());
        SparseMlpKernel.step(images.toByteBuffer(true), labels.toByteBuffer(true), batch, widths, buffers, scratch, lr,
                optimizer.momentum(), optimizer.weightDecay(), optimizer.nesterov(), result);
        return new double[] {result.getDouble(0), result.getDouble(Double.BYTES)};
    }

    /** Whether the buffers still view the tensors of this step: the same state and parameter arrays. */
    private boolean sameState(List<NDArray[]> states) {
        boolean same = true;
        for (int k = 0; k < states.size(); k++) {
            NDArray array = parameters.get(k).getArray();
            if (states.get(k) != buffersState.get(k) || array != parameterArrays.get(k)) {
                parameterArrays.set(k, array);
                same = false;
            }
        }
        return same;
    }

    /** Per layer ({@link SparseMlpKernel#BUFFERS_PER_LAYER}): weight, bias, their velocities, then its path's own. */
    private Object[] buffers(List<NDArray[]> states) {
        boolean momentum = optimizer.momentum() != 0f;
        int per = SparseMlpKernel.BUFFERS_PER_LAYER;
        Object[] made = new Object[per * layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            made[per * i] = parameterArrays.get(2 * i).toByteBuffer(true);
            made[per * i + 1] = parameterArrays.get(2 * i + 1).toByteBuffer(true);
            made[per * i + 2] = momentum ? states.get(2 * i)[0].toByteBuffer(true) : null;
            made[per * i + 3] = momentum ? states.get(2 * i + 1)[0].toByteBuffer(true) : null;
            if (denseLayer[i]) {
                NDArray mask = maskOf(i);
                made[per * i + 6] = mask == null ? null : mask.toByteBuffer(true);
                if (weightGradients[i] == null) {
                    weightGradients[i] = SparseMlpKernel.floats((long) widths[i + 1] * widths[i]);
                }
                made[per * i + 7] = weightGradients[i];
            } else {
                made[per * i + 4] = rows.get(i).rowStart();
                made[per * i + 5] = rows.get(i).column();
            }
        }
        return made;
    }

    /** Rebuilds each layer's kept rows and path after a mask change: dense at or above the crossover. */
    private void ensureRows() {
        if (rowsCurrent) {
            return;
        }
        rows.clear();
        long kept = 0;
        long total = 0;
        for (int i = 0; i < masked.size(); i++) {
            NDArray mask = maskOf(i);
            long size = (long) widths[i + 1] * widths[i];
            long keptHere = mask == null ? size : TopK.ones(mask);
            kept += keptHere;
            total += size;
            // An unmasked layer is at density 1, at or above every crossover.
            denseLayer[i] = denseAvailable && (double) keptHere / size >= crossover;
            // Only a sparse layer needs its mask on the host, as rows (mlp2048's dense ones would be 23 MB of
            // column indices).
            rows.add(denseLayer[i] ? null : SparseMlpKernel.keptRows(mask, widths[i + 1], widths[i]));
        }
        density = (double) kept / total;
        buffers = null; // they hold the old rows
        rowsCurrent = true;
    }

    /** Layer {@code i}'s mask, null where it has none (unmasked, or kept whole). */
    private NDArray maskOf(int i) {
        return masked.get(i) == null ? null : model.mask(masked.get(i));
    }

    /** A changed mask changes the kept rows: rebuilt before the next kernel step. */
    @Override
    public void maskChanged(MaskedWeight weight, NDArray oldMask, NDArray newMask) {
        rowsCurrent = false;
    }

    @Override
    public void close() {
        model.removeListener(this);
    }
}
