package org.prune4j.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/**
 * One maskable weight of a model: a Linear or convolution weight, named like {@code fc1} or {@code conv2}
 * ({@link LayerNames}) and found at a path in DJL's block tree.
 *
 * @param name      its readable name, such as {@code fc1}: what tables, charts and files show
 * @param path      the path of its layer in DJL's block tree, such as {@code 02Linear}
 * @param index     its position among the model's maskable weights, in input-to-output order
 * @param parameter the DJL parameter holding the weight
 * @param shape     the weight's shape: (out, in) for Linear, (out, in, kh, kw) for Conv2d
 */
public record MaskedWeight(String name, String path, int index, Parameter parameter, Shape shape) {

    /** The number of weights in this tensor. */
    public long size() {
        return shape.size();
    }

    /** A short shape text such as {@code 300x784}, for tables. */
    public String shapeText() {
        StringBuilder text = new StringBuilder();
        for (long dim : shape.getShape()) {
            if (text.length() > 0) {
                text.append('x');
            }
            text.append(dim);
        }
        return text.toString();
    }
}
