package org.prune4j.flops;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.util.Pair;

import java.util.ArrayList;
import org.prune4j.model.LayerNames;
import java.util.List;

/**
 * FLOPs accounting of Linear and convolution layers (the layers a {@link org.prune4j.model.SparseModel}
 * masks), inference and training; the convention is in {@link LayerFlops}.
 *
 * <p>Inference: dense {@code sum 2 w p}, sparse {@code sum d 2 w p} for layer density d.
 * Training, as RigL (Evci et al. 2020, appendix H) and GraNet count it: a step costs forward
 * ({@code d f}) plus the backward pass w.r.t. the inputs ({@code d f}) and w.r.t. the weights
 * ({@code d f}), so {@code 3 d f} per example; a step that needs the dense weight gradient
 * ({@link DenseGradients}) costs {@code 2 d f + f}.
 */
public final class Flops {

    private Flops() {}

    /**
     * The dense cost of every Linear and convolution layer of an initialised block, input to output, named as
     * {@link org.prune4j.model.SparseModel} names them. Output positions come from the input shape each layer
     * was initialised with.
     */
    public static List<LayerFlops> layers(Block block) {
        List<LayerFlops> found = new ArrayList<>();
        add(block, block.getClass().getSimpleName(), found);
        collect(block, "", found);
        // The readable names (fc1, conv1) of LayerNames, counted over the same layers in the same order.
        List<String> names = LayerNames.of(found.stream()
                .map(l -> l.kind().equals("linear") ? LayerNames.Kind.FC : LayerNames.Kind.CONV).toList(),
                found.stream().map(LayerFlops::layer).toList());
        List<LayerFlops> named = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            LayerFlops l = found.get(i);
            named.add(new LayerFlops(names.get(i), l.kind(), l.weights(), l.positions(), l.denseFlops()));
        }
        return named;
    }

    private static void collect(Block parent, String prefix, List<LayerFlops> found) {
        for (Pair<String, Block> child : parent.getChildren()) {
            String name = prefix.isEmpty() ? child.getKey() : prefix + "_" + child.getKey();
            add(child.getValue(), name, found);
            if (child.getValue() instanceof ScaledDotProductAttentionBlock attention) {
                // DJL initialises the projections with (-1, E): each runs once per token of the (B, S, E) input.
                long tokens = attention.getInputShapes()[0].get(1);
                for (Pair<String, Block> projection : attention.getChildren()) {
                    add(projection.getValue(), name + "_" + projection.getKey(), found, tokens);
                }
                continue;
            }
            collect(child.getValue(), name, found);
        }
    }

    private static void add(Block block, String name, List<LayerFlops> found) {
        add(block, name, found, 0);
    }

    /** Adds a Linear or convolution; {@code tokens > 0} gives its positions per example instead of its shapes. */
    private static void add(Block block, String name, List<LayerFlops> found, long tokens) {
        boolean linear = block instanceof Linear;
        if (!linear && !(block instanceof Convolution)) {
            return;
        }
        Parameter weight = block.getDirectParameters().get("weight");
        if (weight == null || !weight.isInitialized()) {
            return;
        }
        Shape weightShape = weight.getArray().getShape();
        Shape input = block.getInputShapes()[0];
        Shape output = block.getOutputShapes(new Shape[] {input})[0];
        long batch = output.get(0);
        long channels = linear ? output.get(output.dimension() - 1) : output.get(1);
        long positions = tokens > 0 ? tokens : output.size() / (batch * channels);
        long weights = weightShape.size();
        found.add(new LayerFlops(name, linear ? "linear" : "conv", weights, positions, 2 * weights * positions));
    }

    /** Dense inference FLOPs per example: {@code sum 2 w p}. */
    public static long denseInference(List<LayerFlops> layers) {
        return layers.stream().mapToLong(LayerFlops::denseFlops).sum();
    }

    /** Sparse inference FLOPs per example at the given layer densities (same order as {@code layers}). */
    public static double sparseInference(List<LayerFlops> layers, double[] densities) {
        check(layers, densities);
        double total = 0;
        for (int i = 0; i < layers.size(); i++) {
            total += layers.get(i).sparseFlops(densities[i]);
        }
        return total;
    }

    /**
     * Training FLOPs per example of one step at the given densities: {@code sum 3 d f}, or, when the step
     * needs the dense weight gradient, {@code sum (2 d f + f)}.
     */
    public static double trainingStep(List<LayerFlops> layers, double[] densities, boolean denseGradient) {
        check(layers, densities);
        double total = 0;
        for (int i = 0; i < layers.size(); i++) {
            double f = layers.get(i).denseFlops();
            double d = densities[i];
            total += denseGradient ? 2 * d * f + f : 3 * d * f;
        }
        return total;
    }

    /**
     * Training FLOPs of a whole run from its density trace: {@code trace[0]} holds the layer densities at the
     * start, {@code trace[e]} those at the end of epoch e. Within an epoch each layer's density is taken as
     * the mean of the two ends (trapezoid; exact for a constant mask, close for gradual schedules), and a
     * fraction {@code 1 / denseGradientInterval} of the steps counts its weight gradient as dense.
     *
     * @param examplesPerEpoch       training examples seen per epoch
     * @param denseGradientInterval  every how many steps one needs a dense gradient; 0 for never
     */
    public static double training(List<LayerFlops> layers, List<double[]> trace, long examplesPerEpoch,
                                  long denseGradientInterval) {
        double dense = denseGradientInterval > 0 ? 1.0 / denseGradientInterval : 0.0;
        double total = 0;
        for (int e = 1; e < trace.size(); e++) {
            double[] before = trace.get(e - 1);
            double[] after = trace.get(e);
            double[] mean = new double[layers.size()];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (before[i] + after[i]) / 2;
            }
            double perExample = (1 - dense) * trainingStep(layers, mean, false) + dense * trainingStep(layers, mean, true);
            total += perExample * examplesPerEpoch;
        }
        return total;
    }

    /** Training FLOPs of the same run with every layer dense: {@code 3 f} per example. */
    public static double denseTraining(List<LayerFlops> layers, int epochs, long examplesPerEpoch) {
        return 3.0 * denseInference(layers) * examplesPerEpoch * epochs;
    }

    private static void check(List<LayerFlops> layers, double[] densities) {
        if (densities.length != layers.size()) {
            throw new IllegalArgumentException(densities.length + " densities for " + layers.size() + " layers");
        }
    }
}
