package org.prune4j.nn;

import ai.djl.ndarray.NDArray;

import org.prune4j.model.MaskedWeight;

/**
 * How a method changes a weight inside the forward pass, with autograd seeing the change (PDP's soft
 * mask w·m(w), a mask that must hold inside the forward pass, straight-through variants). Methods that
 * implement it have the trainer read weights through a {@link TransformingParameterStore}; hard-mask
 * methods do not implement it and keep the cheaper path (masks applied after the optimizer step).
 */
@FunctionalInterface
public interface WeightTransform {

    /**
     * The weight the layer computes with. Called at every forward pass (training and evaluation) with
     * the live weight; return {@code weight} itself for no change. Whatever is created lives in the
     * caller's scope.
     *
     * @param layer    which maskable weight
     * @param weight   its current value, on the input's device
     * @param training whether this is a training forward pass
     */
    NDArray apply(MaskedWeight layer, NDArray weight, boolean training);
}
