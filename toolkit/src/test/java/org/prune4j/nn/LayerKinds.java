package org.prune4j.nn;

import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: the top-level layers of a sequential model as short kind names (Conv2d, Linear, relu,
 * Pool, flatten), to compare a model's structure with a hand-written list from the paper's code.
 */
final class LayerKinds {

    private LayerKinds() {}

    static List<String> of(Block model) {
        if (!(model instanceof SequentialBlock)) {
            throw new IllegalArgumentException("expected a SequentialBlock, got " + model.getClass().getSimpleName());
        }
        List<String> kinds = new ArrayList<>();
        for (Pair<String, Block> child : model.getChildren()) {
            kinds.add(kind(child.getKey(), child.getValue()));
        }
        return kinds;
    }

    private static String kind(String key, Block block) {
        if (block instanceof Conv2d) {
            return "Conv2d";
        }
        if (block instanceof Linear) {
            return "Linear";
        }
        if (block instanceof LambdaBlock) {
            // DJL names its lambda blocks: "ReLU", "maxPool2d", "batchFlatten".
            String name = block.toString().toLowerCase(java.util.Locale.ROOT);
            if (name.contains("relu")) {
                return "relu";
            }
            if (name.contains("pool")) {
                return "Pool";
            }
            if (name.contains("flatten")) {
                return "flatten";
            }
            return "lambda:" + name;
        }
        return block.getClass().getSimpleName() + ":" + key;
    }
}
