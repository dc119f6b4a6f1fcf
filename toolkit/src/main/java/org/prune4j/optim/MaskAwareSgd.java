package org.prune4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.training.tracker.Tracker;

import org.prune4j.kernel.SgdKernel;

/**
 * SGD with momentum, optional Nesterov, and L2 weight decay, in PyTorch's formulation:
 * g' = g + wd·w; v = μ·v + g'; w -= lr·(Nesterov ? g' + μ·v : v).
 *
 * <p>On the CPU the update, the mask and clearing the gradient run as one fused kernel ({@link SgdKernel}, where
 * the native kernels are built), bit-identical to the DJL ops of {@link #step}, which run everywhere else.
 */
public final class MaskAwareSgd extends MaskAwareOptimizer {

    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private final boolean fusedKernel;

    MaskAwareSgd(Tracker learningRate, float momentum, boolean nesterov, float weightDecay, boolean fusedKernel) {
        super(new DefaultBuilder(), learningRate);
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.fusedKernel = fusedKernel;
    }

    /** The momentum factor (0: none). */
    public float momentum() {
        return momentum;
    }

    /** Whether the update is Nesterov's. */
    public boolean nesterov() {
        return nesterov;
    }

    /** The L2 weight decay, added to every gradient (biases too, as PyTorch's SGD does). */
    public float weightDecay() {
        return weightDecay;
    }

    @Override
    protected boolean fusedStep(NDArray weight, NDArray grad, NDArray accumulated, NDArray mask, NDArray[] state,
            float lr, int t) {
        NDArray velocity = momentum == 0f ? null : state[0];
        if (!fusedKernel || !SgdKernel.usable(weight, grad, velocity, mask, accumulated)) {
            return false;
        }
        SgdKernel.step(weight, grad, velocity, mask, accumulated, lr, momentum, weightDecay, nesterov);
        return true;
    }

    @Override
    protected NDArray[] newState(NDArray weight) {
        return momentum == 0f ? new NDArray[0] : new NDArray[] {weight.zerosLike()};
    }

    @Override
    protected void step(NDArray weight, NDArray grad, NDArray[] state, float lr, int t) {
        // The gradient is scratch (see MaskAwareOptimizer#step), so g' = g + wd·w is built in place:
        // no copy of it per step. Every other temporary is closed, or it would pile up in the model's manager.
        NDArray decayed = grad;
        if (weightDecay != 0f) {
            try (NDArray decay = weight.mul(weightDecay)) {
                decayed.addi(decay);
            }
        }
        if (momentum == 0f) {
            weight.subi(decayed.muli(lr));
            return;
        }
        NDArray velocity = state[0];
        velocity.muli(momentum).addi(decayed);
        if (nesterov) {
            try (NDArray scaledVelocity = velocity.mul(momentum)) {
                weight.subi(decayed.addi(scaledVelocity).muli(lr));
            }
        } else {
            try (NDArray update = velocity.mul(lr)) {
                weight.subi(update);
            }
        }
    }
}
