package org.prune4j.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.nio.ByteBuffer;

/**
 * PDP's soft-masked weight w·m(w), m(w) = sigmoid((w² − t²)/τ), with the mask computed in one fused pass
 * (methods.md, "PDP"; the DJL version is {@code SoftMasks.softMasked}). Requires {@link NativeKernels#usable}.
 *
 * <p>How autograd gets the right gradient with a single recorded op: the output is recorded as
 * {@code weight.mul(m)}, whose backward multiplies the incoming gradient by the tensor {@code m} it saved. Right
 * after the multiply, while autograd records, the kernel overwrites that tensor in place with the derivative
 * d(w·m)/dw = m + 2(w²/τ)·m(1 − m) (t² constant), so the backward pass computes g·d(w·m)/dw, the gradient
 * autograd gives the formula. PyTorch does not see the write (it bypasses its version counter); the tensor is
 * private to this call, so nothing else reads it. Tests compare values and gradients with autograd of the formula.
 */
public final class SoftMaskKernel {

    private SoftMaskKernel() {}

    /**
     * w·m(w) with one threshold for the whole tensor, given as c = t²/τ.
     *
     * @param invTau 1/τ
     */
    public static NDArray softMasked(NDArray weight, float invTau, float thresholdOverTau) {
        NativeKernels.require(weight);
        NDArray mask = weight.getManager().create(weight.getShape());
        ByteBuffer w = weight.toByteBuffer(true);
        softMask(w, mask.toByteBuffer(true), weight.size(), invTau, thresholdOverTau);
        return maskedRecordingDerivative(weight, w, mask, invTau);
    }

    /**
     * w·m(w) with a threshold per weight, c = t²/τ shaped like the weight (N:M: each group's threshold repeated
     * over its M weights).
     *
     * @throws IllegalArgumentException if the thresholds do not match the weight's size, or either is not
     *     {@linkplain NativeKernels#usable usable}
     */
    public static NDArray softMaskedEach(NDArray weight, float invTau, NDArray thresholdsOverTau) {
        NativeKernels.require(weight, thresholdsOverTau);
        if (thresholdsOverTau.size() != weight.size()) {
            throw new IllegalArgumentException("one threshold per weight expected: " + weight.size() + " weights, "
                    + thresholdsOverTau.size() + " thresholds");
        }
        NDArray mask = weight.getManager().create(weight.getShape());
        ByteBuffer w = weight.toByteBuffer(true);
        softMaskEach(w, thresholdsOverTau.toByteBuffer(true), mask.toByteBuffer(true), weight.size(), invTau);
        return maskedRecordingDerivative(weight, w, mask, invTau);
    }

    private static NDArray maskedRecordingDerivative(NDArray weight, ByteBuffer w, NDArray mask, float invTau) {
        NDArray out = weight.mul(mask);
        if (weight.hasGradient() && JniUtils.isGradMode()) {
            toDerivative(w, mask.toByteBuffer(true), weight.size(), invTau);
        }
        return out;
    }

    private static native void softMask(ByteBuffer w, ByteBuffer m, long n, float invTau, float c);

    private static native void softMaskEach(ByteBuffer w, ByteBuffer c, ByteBuffer m, long n, float invTau);

    private static native void toDerivative(ByteBuffer w, ByteBuffer m, long n, float invTau);
}
