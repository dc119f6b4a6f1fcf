package org.prune4j.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/**
 * The dense path of one Linear layer inside a planned inference: PyTorch's matmul on host floats, in the
 * same feature-major layout as the sparse path. One function, shared by {@link SparseInference} and the
 * calibration of {@link InferenceCostModel}, so that what is measured is what runs.
 */
final class DenseLayer {

    private DenseLayer() {}

    /**
     * {@code W X + b} with W of shape [out, in] and {@code biasColumn} of shape [out, 1] (or null); x holds
     * {@code in * batch} floats feature-major ({@code x[i * batch + e]}), the result {@code out * batch}.
     */
    static float[] apply(NDManager manager, NDArray weight, NDArray biasColumn, float[] x, int in, int batch) {
        try (NDScope ignored = new NDScope()) {
            NDArray out = weight.matMul(manager.create(x, new Shape(in, batch)));
            if (biasColumn != null) {
                out = out.addi(biasColumn);
            }
            return out.toFloatArray();
        }
    }
}
