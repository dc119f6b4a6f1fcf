package org.prune4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.training.tracker.Tracker;

/**
 * AdamW (Loshchilov and Hutter): Adam moments with decoupled weight decay,
 * w ← w·(1 − lr·wd) − lr·m̂/(√v̂ + ε).
 */
public final class MaskAwareAdamW extends MaskAwareOptimizer {

    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;

    MaskAwareAdamW(Tracker learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        super(new DefaultBuilder(), learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    @Override
    protected NDArray[] newState(NDArray weight) {
        return new NDArray[] {weight.zerosLike(), weight.zerosLike()};
    }

    @Override
    protected void step(NDArray weight, NDArray grad, NDArray[] state, float lr, int t) {
        NDArray mean = state[0];
        NDArray variance = state[1];
        mean.muli(beta1);
        variance.muli(beta2);
        try (NDArray scaledGrad = grad.mul(1f - beta1);
                NDArray squaredGrad = grad.square().muli(1f - beta2)) {
            mean.addi(scaledGrad);
            variance.addi(squaredGrad);
        }
        double biasCorrection1 = 1.0 - Math.pow(beta1, t);
        double biasCorrection2 = 1.0 - Math.pow(beta2, t);
        float stepSize = (float) (lr * Math.sqrt(biasCorrection2) / biasCorrection1);
        if (weightDecay != 0f) {
            weight.muli(1f - lr * weightDecay);
        }
        // ε is added to √v̂; folding the bias corrections into stepSize keeps this one division.
        float scaledEpsilon = (float) (epsilon * Math.sqrt(biasCorrection2));
        try (NDArray denominator = variance.sqrt().addi(scaledEpsilon);
                NDArray update = mean.div(denominator).muli(stepSize)) {
            weight.subi(update);
        }
    }
}
