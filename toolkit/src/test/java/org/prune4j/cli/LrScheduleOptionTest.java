package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prune4j.optim.Optimizers;
import org.prune4j.schedule.Schedule;

class LrScheduleOptionTest {

    private static final int STEPS_PER_EPOCH = 100;
    private static final int EPOCHS = 20;

    private static Schedule schedule(String option) {
        return LrScheduleOption.apply(option, Optimizers.sgd().lr(0.1).momentum(0.9)).validate()
                .learningRate(STEPS_PER_EPOCH, EPOCHS);
    }

    /** The papers' recipe: x0.1 at epochs 10 and 15 of 20, i.e. at steps 1000 and 1500. */
    @ParameterizedTest
    @CsvSource({
        "'step:10,15', 0, 0.1",
        "'step:10,15', 999, 0.1",
        "'step:10,15', 1000, 0.01",
        "'step:10,15', 1499, 0.01",
        "'step:10,15', 1500, 0.001",
        "'step:10,15', 1999, 0.001",
        "'step:10x0.5', 1000, 0.05",
        "constant, 1999, 0.1",
        "cosine, 0, 0.1",
        "cosine, 1000, 0.05",
        "linear, 500, 0.075",
    })
    void rateAtKnownSteps(String option, long step, double expected) {
        assertEquals(expected, schedule(option).valueAt(step), 1e-12);
    }

    /** A learning rate above 1 is unusual but valid: the cosine decay is not capped like a drop rate. */
    @org.junit.jupiter.api.Test
    void aRateAboveOneDecaysByCosine() {
        Schedule lr = LrScheduleOption.apply("cosine", Optimizers.sgd().lr(2).momentum(0.9)).validate()
                .learningRate(STEPS_PER_EPOCH, EPOCHS);
        assertEquals(2.0, lr.valueAt(0), 1e-12);
        assertEquals(1.0, lr.valueAt(1000), 1e-12);
    }
}
