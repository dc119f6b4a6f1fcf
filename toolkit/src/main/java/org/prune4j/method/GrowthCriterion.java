package org.prune4j.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

import org.prune4j.mask.TopK;

import java.util.Random;

/**
 * Where a drop-and-regrow step regrows connections: among the positions that were zero before the step,
 * the ones with the highest growth score (methods.md, "RigL": largest |grad|; "SET": random). Selection
 * runs on the weights' device with an exact count.
 */
public interface GrowthCriterion {

    /**
     * A float mask with exactly {@code grow} ones, all at positions where {@code mask} is 0.
     *
     * @param values   the weight tensor (its gradient is readable when called from afterBackward)
     * @param mask     the weight's 0/1 mask before the step; only its zeros are candidates
     * @param grow     how many to regrow, at most the number of zeros in {@code mask}
     * @param random   the run's seeded random source
     */
    NDArray grow(NDArray values, NDArray mask, long grow, Random random);

    /** A short name for descriptions: {@code gradient} or {@code random}. */
    String name();

    /** Largest |grad| of the current mini-batch among the zero positions (RigL, GraNet). */
    static GrowthCriterion gradient() {
        return new GrowthCriterion() {
            @Override
            public NDArray grow(NDArray values, NDArray mask, long grow, Random random) {
                try (NDArray gradient = values.getGradient(); NDArray score = gradient.abs()) {
                    return amongZeros(score, mask, grow);
                }
            }

            @Override
            public String name() {
                return "gradient";
            }
        };
    }

    /**
     * Uniformly random zero positions (SET). The scores are drawn from the run's Java random source on
     * the host and copied to the device once per update (not per step): the same seed gives the same
     * masks on any device.
     */
    static GrowthCriterion random() {
        return new GrowthCriterion() {
            @Override
            public NDArray grow(NDArray values, NDArray mask, long grow, Random random) {
                float[] draws = new float[Math.toIntExact(values.size())];
                for (int i = 0; i < draws.length; i++) {
                    draws[i] = random.nextFloat();
                }
                try (NDArray host = values.getManager().create(draws, values.getShape());
                        NDArray score = host.toDevice(values.getDevice(), false)) {
                    return amongZeros(score, mask, grow);
                }
            }

            @Override
            public String name() {
                return "random";
            }
        };
    }

    /**
     * The top {@code grow} scores among the zeros of {@code mask}: kept positions score -inf, and since
     * {@code grow} is at most the number of zeros (whose scores are finite) only zeros are chosen.
     */
    private static NDArray amongZeros(NDArray score, NDArray mask, long grow) {
        try (NDArray kept = Scores.negativeInfinity(score);
                NDArray zero = mask.eq(0);
                NDArray candidates = NDArrays.where(zero, score, kept)) {
            return TopK.mask(candidates, grow);
        }
    }
}
