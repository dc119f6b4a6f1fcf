package org.prune4j.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.util.Objects;

/**
 * Puts a {@link WeightTransform} into the forward pass of any DJL block: every block reads its parameters
 * through the {@link ParameterStore} it is given, so a store that hands out {@code transform(w)} for each
 * weight the {@link SparseModel} masks changes what every Linear and convolution computes with, and autograd
 * sees the change. Nothing in the block tree is edited.
 *
 * <p>Why a store and not wrapped layers: DJL's {@code ScaledDotProductAttentionBlock} calls its four projections
 * through its own fields, not through its child list, so a wrapper put into the child list would never run
 * there; the store reaches every layer, whichever block calls it. The values are the parameters' own arrays
 * (no copy, single device), so the trainer's optimizer updates the same arrays the forward pass read.
 */
public final class TransformingParameterStore extends ParameterStore {

    private final SparseModel model;
    private final WeightTransform transform;

    /**
     * A store on {@code manager}'s device. With a null {@code transform} it is DJL's plain store.
     *
     * @param model     whose weights are transformed; may be null when {@code transform} is null
     * @param transform the method's transform, or null for none
     */
    public TransformingParameterStore(NDManager manager, SparseModel model, WeightTransform transform) {
        super(Objects.requireNonNull(manager, "manager"), false);
        if (transform != null) {
            Objects.requireNonNull(model, "model");
        }
        this.model = model;
        this.transform = transform;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray value = super.getValue(parameter, device, training);
        if (transform == null || parameter == null) {
            return value;
        }
        MaskedWeight weight = model.weightOfParameter(parameter.getId());
        return weight == null ? value : transform.apply(weight, value, training);
    }
}
