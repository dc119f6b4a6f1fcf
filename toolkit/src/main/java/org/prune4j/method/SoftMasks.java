package org.prune4j.method;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

import org.prune4j.mask.TopK;

/**
 * PDP's soft mask as pure functions (methods.md, "PDP"): m(w) = sigmoid((w² − t²)/τ), with t the
 * midpoint between the smallest kept and the largest pruned magnitude. The threshold t is treated as a
 * constant by autograd (it is recomputed from the weights, not differentiated); gradients flow through
 * w both directly and through m(w).
 */
public final class SoftMasks {

    private SoftMasks() {}

    /**
     * The unstructured threshold t² of {@code weight} when {@code keep} of its weights are kept: the
     * square of the midpoint between the keep-th and (keep+1)-th largest |w|, as a scalar array.
     *
     * @throws IllegalArgumentException unless 0 < keep < size
     */
    public static NDArray thresholdSquared(NDArray scores, long keep) {
        long n = scores.size();
        if (keep <= 0 || keep >= n) {
            throw new IllegalArgumentException("a soft threshold needs 0 < keep < " + n + ", got " + keep);
        }
        return midpointSquared(TopK.boundary(scores, keep));
    }

    /** t² from the smallest kept and the largest pruned score: ((kept + pruned) / 2)². */
    public static NDArray midpointSquared(NDArray[] bounds) {
        return bounds[0].add(bounds[1]).div(2).square();
    }

    /** The same t² from host values (the fused kernels' threshold search reads them on the host). */
    public static float midpointSquared(float keptMin, float prunedMax) {
        float t = (keptMin + prunedMax) / 2;
        return t * t;
    }

    /** m = sigmoid((score² − t²)/τ), broadcasting t² (a scalar, or one per group or channel). */
    public static NDArray mask(NDArray scoreSquared, NDArray thresholdSquared, double tau) {
        NDArray z = scoreSquared.sub(thresholdSquared);
        return sigmoidOver(z, tau);
    }

    /**
     * m(w) = sigmoid((w² − t²)/τ) of the weights themselves; the same values as
     * {@code mask(w.square(), t², τ)} with two tensors fewer allocated per call (it runs in every forward pass).
     */
    public static NDArray maskOfWeights(NDArray weight, NDArray thresholdSquared, double tau) {
        NDArray z = weight.square();
        // In place, also under autograd: z is this function's own intermediate, and neither a subtraction
        // nor a division by a constant keeps its operand for the backward pass (the square keeps w, not z).
        z.subi(thresholdSquared);
        return sigmoidOver(z, tau);
    }

    /**
     * w·m(w) for the forward pass, whose gradient is the one autograd gives w·m(w),
     * d(w·m)/dw = m + 2(w²/τ)·m(1 − m) (t² constant), but recorded as a single multiply by that
     * derivative F: the value is w·F − w·(F − m). Why: recording the formula puts five ops in the forward
     * and about eight in the backward, each a pass over the weights; computed unrecorded, mostly in place,
     * the same quantities take fewer passes and one backward op (g·F). The value equals w·m(w) to float
     * rounding; a weight far above t (m = 1) passes through unchanged. t² broadcasts as in {@link #mask}.
     */
    public static NDArray softMasked(NDArray weight, NDArray thresholdSquared, double tau) {
        NDArray w = weight.stopGradient();
        NDArray scaled = w.square();
        scaled.divi(tau); // w²/τ
        NDArray derivative = Activation.sigmoid(scaled.sub(thresholdSquared.div(tau))); // m
        NDArray spread = derivative.mul(-2);
        spread.addi(2);
        spread.muli(derivative); // 2m(1 - m)
        scaled.muli(spread); // 2(w²/τ)m(1 - m) = F - m
        derivative.addi(scaled); // F
        scaled.muli(w); // w(F - m)
        NDArray out = weight.mul(derivative);
        out.subi(scaled);
        return out;
    }

    private static NDArray sigmoidOver(NDArray z, double tau) {
        z.divi(tau);
        return Activation.sigmoid(z);
    }
}
