package org.prune4j.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: the weights the sparsity engine will mask, found the way it will find them, by
 * walking children and keeping the WEIGHT parameters of Linear and Convolution blocks.
 */
final class WeightWalk {

    private WeightWalk() {}

    /** Path (child names joined with '_', as in {@code Block.getParameters()}) to shape. */
    static Map<String, Shape> maskableWeights(Block root) {
        Map<String, Shape> out = new LinkedHashMap<>();
        walk("", root, out);
        return out;
    }

    private static void walk(String prefix, Block block, Map<String, Shape> out) {
        if (block instanceof Linear || block instanceof Convolution) {
            for (Pair<String, Parameter> p : block.getDirectParameters()) {
                if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                    out.put(prefix + p.getKey(), p.getValue().getShape());
                }
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            walk(prefix + child.getKey() + "_", child.getValue(), out);
        }
    }

    static List<Shape> shapes(Block root) {
        return new ArrayList<>(maskableWeights(root).values());
    }

    /** Elements of parameters that require gradient: weights, biases, BN gamma and beta. */
    static long trainableCount(Block root) {
        long n = 0;
        for (Pair<String, Parameter> p : root.getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getShape().size();
            }
        }
        return n;
    }

    /** Elements of BN running mean and variance: parameters in DJL, but state, not trained. */
    static long runningStatCount(Block root) {
        long n = 0;
        for (Pair<String, Parameter> p : root.getParameters()) {
            Parameter.Type t = p.getValue().getType();
            if (t == Parameter.Type.RUNNING_MEAN || t == Parameter.Type.RUNNING_VAR) {
                n += p.getValue().getShape().size();
            }
        }
        return n;
    }
}
