package org.prune4j.method;

import org.prune4j.model.SparseModel;

import java.util.Random;

/** A training context driven by the test: the step counter moves when the test says so. */
final class FakeContext implements TrainingContext {
    private final SparseModel model;
    private final int stepsPerEpoch;
    private final int epochs;
    private final Random random;
    long step;
    int optimizerResets;

    FakeContext(SparseModel model, int stepsPerEpoch, int epochs, long seed) {
        this.model = model;
        this.stepsPerEpoch = stepsPerEpoch;
        this.epochs = epochs;
        this.random = new Random(seed);
    }

    @Override
    public SparseModel model() {
        return model;
    }

    @Override
    public long step() {
        return step;
    }

    @Override
    public int epoch() {
        return (int) (step / stepsPerEpoch);
    }

    @Override
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public int epochs() {
        return epochs;
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public void resetOptimizerState() {
        optimizerResets++;
    }
}
