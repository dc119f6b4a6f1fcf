package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prune4j.method.SparsityMethod;
import org.prune4j.method.TrainingContext;
import org.prune4j.model.MaskedWeight;
import org.prune4j.optim.Optimizers;

class NonFiniteStopTest {

    /** Dense training that writes {@code value} into one layer's weights right after step {@code atStep}. */
    private static SparsityMethod poisonAfter(long atStep, int layer, float value) {
        return new SparsityMethod() {
            @Override
            public String name() {
                return "poison";
            }

            @Override
            public double targetSparsity() {
                return 0;
            }

            @Override
            public void afterStep(TrainingContext context) {
                if (context.step() == atStep) {
                    MaskedWeight weight = context.model().weights().get(layer);
                    NDArray values = context.model().values(weight);
                    values.muli(0).addi(value);
                }
            }
        };
    }

    @ParameterizedTest
    @CsvSource({
        // poisoned after step, layer, value, check every: the loss of the next step is the first bad one
        "7,  0, NaN,       50, 8,  1, 8",
        "7,  2, Infinity,   3, 8,  1, 8",
        "20, 1, NaN,       50, 21, 2, 5",
        "20, 1, -Infinity,  1, 21, 2, 5",
    })
    void aNonFiniteLossStopsTrainingNamingTheExactStepEpochAndLayer(long poisonStep, int layer, float value, int every,
            long badStep, int epoch, int batch) {
        // 256 images, batch 16: 16 steps per epoch.
        SparseTraining training = TinyTraining.of(TinyTraining.data(256, 64)).method(poisonAfter(poisonStep, layer, value))
                .epochs(3).seed(2);
        training.finiteCheckEvery = every;

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, training::fit);

        assertEquals(badStep, e.step());
        assertEquals(epoch, e.epoch());
        // The bad step's backward pass sends NaN gradients to every layer below the poisoned one, and its update
        // writes them: after the bad step the first non-finite parameter is always the first layer's weight.
        assertTrue(e.layer().endsWith("02Linear_weight"), e.layer());
        assertTrue(e.getMessage().startsWith("training diverged: the loss is NaN at step " + badStep + " (epoch " + epoch
                + ", batch " + batch + " of 16), and parameter " + e.layer() + " holds NaN or infinite values"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aHugeLearningRateStopsWithTheDivergenceMessageInsteadOfAHistoryError() {
        SparseTraining training = TinyTraining.of(TinyTraining.data(256, 64))
                .optimizer(Optimizers.sgd().lr(1e12).momentum(0.9)).epochs(3).seed(1);

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, training::fit);

        assertTrue(e.getMessage().startsWith("training diverged: "), e.getMessage());
        assertTrue(e.step() >= 1 && e.step() <= 48, e.getMessage());
    }

    @Test
    void aFiniteRunIsNotStopped() {
        assertEquals(3, TinyTraining.of(TinyTraining.data(256, 64)).epochs(3).seed(1).fit().historyRows().size());
    }

    @Test
    void theParameterCheckNamesTheFirstNonFiniteParameter() {
        try (TrainingSession session = TinyTraining.of(TinyTraining.data(64, 16)).epochs(1).session()) {
            assertEquals(null, FiniteCheck.firstNonFiniteParameter(session.block()));
            NDArray bias = session.block().getParameters().valueAt(3).getArray();
            bias.set(new ai.djl.ndarray.index.NDIndex("0"), Float.POSITIVE_INFINITY);
            String name = session.block().getParameters().keyAt(3);
            assertEquals(name, FiniteCheck.firstNonFiniteParameter(session.block()));
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> FiniteCheck.checkParameters(session.block(), 5, 1));
            assertEquals("training diverged: parameter " + name + " holds NaN or infinite values after step 5 (epoch 1);"
                    + " expected finite weights: lower the learning rate or check the data", e.getMessage());
        }
    }
}
