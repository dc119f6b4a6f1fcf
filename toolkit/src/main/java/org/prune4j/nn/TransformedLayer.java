package org.prune4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import org.prune4j.model.MaskedWeight;

/**
 * A Linear or Conv2d layer whose weight goes through a {@link WeightTransform} in the forward pass:
 * the same math as DJL's own forward ({@code Linear.linear(x, w, b)}, {@code Conv2d.conv2d(x, w, b,
 * stride, padding, dilation, groups)}) with {@code w} replaced by {@code transform(w)}. The original
 * layer stays a child, so its parameters (and their ids, which the optimizer and masks use) are the
 * same objects.
 */
public final class TransformedLayer extends AbstractBlock {

    private final Block layer;
    private final MaskedWeight weight;
    private final WeightTransform transform;
    private final Parameter bias;

    TransformedLayer(Block layer, MaskedWeight weight, WeightTransform transform) {
        if (!(layer instanceof Linear) && !(layer instanceof Conv2d)) {
            throw new IllegalArgumentException("layer '" + weight.name() + "' is a " + layer.getClass().getSimpleName()
                    + ": only Linear and Conv2d weights can be transformed in the forward pass");
        }
        this.layer = addChildBlock("layer", layer);
        this.weight = weight;
        this.transform = transform;
        this.bias = layer.getDirectParameters().contains("bias") ? layer.getDirectParameters().get("bias") : null;
    }

    /** The wrapped DJL layer. */
    public Block layer() {
        return layer;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight.parameter(), x.getDevice(), training);
        NDArray b = bias == null ? null : store.getValue(bias, x.getDevice(), training);
        NDArray used = transform.apply(weight, w, training);
        if (layer instanceof Linear) {
            return b == null ? Linear.linear(x, used) : Linear.linear(x, used, b);
        }
        Conv2d conv = (Conv2d) layer;
        return Conv2d.conv2d(x, used, b, conv.getStride(), conv.getPadding(), conv.getDilation(), conv.getGroups());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return layer.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        layer.initialize(manager, dataType, inputShapes);
    }

    @Override
    public String toString() {
        return "Transformed(" + layer + ")";
    }
}
