package org.prune4j.gap;

import org.prune4j.method.TrainingContext;
import org.prune4j.model.SparseModel;

import java.util.Random;

/** A training context the test drives: it says which epoch just ended. */
final class GapContext implements TrainingContext {
    private final SparseModel model;
    private final int epochs;
    private final Random random;
    int epoch;

    GapContext(SparseModel model, int epochs, long seed) {
        this.model = model;
        this.epochs = epochs;
        this.random = new Random(seed);
    }

    @Override
    public SparseModel model() {
        return model;
    }

    @Override
    public long step() {
        return (long) epoch * stepsPerEpoch();
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public int stepsPerEpoch() {
        return 5;
    }

    @Override
    public int epochs() {
        return epochs;
    }

    @Override
    public Random random() {
        return random;
    }
}
