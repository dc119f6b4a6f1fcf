package org.prune4j.method;

import org.prune4j.model.SparseModel;

import ai.djl.ndarray.NDArray;

import java.util.List;
import java.util.Random;

/**
 * What a method may see at an event: the model and its masks, where training stands, and a seeded
 * random source. Given by the trainer; methods never drive the loop themselves.
 */
public interface TrainingContext {

    /** The model whose masks the method decides. */
    SparseModel model();

    /**
     * Optimizer steps completed so far: 0 at the start and during the first step's backward pass, 1
     * after the first optimizer step, and so on.
     */
    long step();

    /** The current epoch, counted from 0. */
    int epoch();

    /** Optimizer steps in one epoch. */
    int stepsPerEpoch();

    /** Epochs in the run. */
    int epochs();

    /** Optimizer steps in the whole run. */
    default long totalSteps() {
        return (long) stepsPerEpoch() * epochs();
    }

    /** A random source seeded from the run's seed, for random masks and random growth. */
    Random random();

    /**
     * Every trainable parameter array of the model (weights, biases, BatchNorm scales), for methods that
     * rewind the whole network (lottery tickets). By default only the maskable weights.
     */
    default List<NDArray> parameterArrays() {
        SparseModel model = model();
        return model.weights().stream().map(model::values).toList();
    }

    /**
     * Zeroes the optimizer's state (momentum, moments) of every parameter, as at the start of training.
     *
     * @throws UnsupportedOperationException when the context has no optimizer
     */
    default void resetOptimizerState() {
        throw new UnsupportedOperationException("this training context cannot reset the optimizer state");
    }
}
