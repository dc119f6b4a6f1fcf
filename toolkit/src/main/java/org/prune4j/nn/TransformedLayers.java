package org.prune4j.nn;

import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;

import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.lang.reflect.Field;

/**
 * Puts a {@link WeightTransform} into the forward pass of any DJL block: every Linear or Conv2d child
 * whose weight the {@link SparseModel} masks is replaced, in place in its parent, by a
 * {@link TransformedLayer} around it. Works through SequentialBlock, ParallelBlock and any other
 * {@link AbstractBlock} (the zoo's ResNet with BatchNorm included), because it edits the parent's child
 * list, which every DJL container's forward reads.
 *
 * <p>Only methods that declare a transform are wrapped; hard-mask methods keep DJL's own layers.
 */
public final class TransformedLayers {

    private static final Field CHILDREN;

    static {
        try {
            CHILDREN = AbstractBlock.class.getDeclaredField("children");
            CHILDREN.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TransformedLayers() {}

    /**
     * Wraps every masked Linear/Conv2d layer of {@code root} (an initialised block holding the layers
     * of {@code model}); returns how many were wrapped. Layers already wrapped are left alone.
     *
     * @throws IllegalArgumentException if {@code root} itself is the only layer (nothing to replace it in)
     *                                  or a masked layer is a convolution other than Conv2d
     */
    public static int wrap(Block root, SparseModel model, WeightTransform transform) {
        if (root instanceof Linear || root instanceof Convolution) {
            throw new IllegalArgumentException("cannot transform the weight of a bare " + root.getClass().getSimpleName()
                    + ": put it inside a SequentialBlock");
        }
        return wrapChildren(root, model, transform);
    }

    private static int wrapChildren(Block parent, SparseModel model, WeightTransform transform) {
        if (parent instanceof TransformedLayer || !(parent instanceof AbstractBlock)) {
            return 0;
        }
        BlockList children = children((AbstractBlock) parent);
        int wrapped = 0;
        for (int i = 0; i < children.size(); i++) {
            Block child = children.valueAt(i);
            if (child instanceof Linear || child instanceof Convolution) {
                Parameter weight = child.getDirectParameters().contains("weight") ? child.getDirectParameters().get("weight") : null;
                MaskedWeight masked = weight == null ? null : model.weightOfParameter(weight.getId());
                if (masked != null) {
                    String key = children.keyAt(i);
                    children.remove(i);
                    children.add(i, key, new TransformedLayer(child, masked, transform));
                    wrapped++;
                }
            } else {
                wrapped += wrapChildren(child, model, transform);
            }
        }
        return wrapped;
    }

    private static BlockList children(AbstractBlock block) {
        try {
            return (BlockList) CHILDREN.get(block);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot reach the children of " + block.getClass().getName(), e);
        }
    }
}
