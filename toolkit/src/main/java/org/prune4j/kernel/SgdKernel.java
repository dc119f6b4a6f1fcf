package org.prune4j.kernel;

import ai.djl.ndarray.NDArray;

import java.nio.ByteBuffer;

/**
 * SGD's update for one masked weight in one fused pass ({@code prune4j_sgd.c}): weight decay, momentum (plain
 * or Nesterov), the step, the mask and clearing the accumulated gradient, in place. Requires every tensor to be
 * {@linkplain NativeKernels#usable usable} and of the weight's size ({@link #usable}).
 *
 * <p>Why: through DJL the same update is ten tensor ops per parameter, each a JNI crossing and a pass over the
 * weights; on LeNet-300-100 that is a tenth of a training step. The result is bit-identical to the DJL ops
 * (every multiply and add rounded on its own, in their order; tested against them), so a run's numbers do not
 * depend on whether the kernels were built.
 */
public final class SgdKernel {

    private SgdKernel() {}

    /**
     * Whether {@link #step} can update these tensors: all usable by the kernels and each, where given, of the
     * weight's size. {@code velocity}, {@code mask} and {@code accumulatedGradient} may be null.
     */
    public static boolean usable(NDArray weight, NDArray gradient, NDArray velocity, NDArray mask,
            NDArray accumulatedGradient) {
        for (NDArray array : new NDArray[] {weight, gradient, velocity, mask, accumulatedGradient}) {
            if (array != null && (!NativeKernels.usable(array) || array.size() != weight.size())) {
                return false;
            }
        }
        return true;
    }

    /**
     * g' = g + wd·w; v = μ·v + g'; w −= lr·(Nesterov ? g' + μ·v : v) (lr·g' without a velocity); w = w·m + 0;
     * the accumulated gradient multiplied by 0 (as the DJL path clears it). Writes the weight, the velocity and
     * the accumulated gradient in place; they must be contiguous (parameters, their gradients and state made
     * with {@code zerosLike} are), or DJL would hand the kernel a copy and the writes would be lost.
     *
     * @param velocity            the momentum buffer, or null for SGD without momentum
     * @param mask                the 0/1 mask, or null for a dense weight
     * @param accumulatedGradient the weight's own gradient to clear (it may be {@code gradient} itself), or null
     * @throws IllegalArgumentException unless {@link #usable} holds
     */
    public static void step(NDArray weight, NDArray gradient, NDArray velocity, NDArray mask,
            NDArray accumulatedGradient, float lr, float momentum, float weightDecay, boolean nesterov) {
        NativeKernels.require(weight, gradient);
        if (!usable(weight, gradient, velocity, mask, accumulatedGradient)) {
            throw new IllegalArgumentException("the fused SGD update needs float32 CPU tensors of the weight's "
                    + weight.size() + " values for the gradient, velocity, mask and accumulated gradient");
        }
        step(weight.toByteBuffer(true), gradient.toByteBuffer(true), buffer(velocity), buffer(mask),
                buffer(accumulatedGradient), weight.size(), lr, momentum, weightDecay, nesterov);
    }

    private static ByteBuffer buffer(NDArray array) {
        return array == null ? null : array.toByteBuffer(true);
    }

    private static native void step(ByteBuffer weight, ByteBuffer gradient, ByteBuffer velocity, ByteBuffer mask,
            ByteBuffer accumulatedGradient, long n, float lr, float momentum, float weightDecay, boolean nesterov);
}
