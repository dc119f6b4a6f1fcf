package org.prune4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.prune4j.schedule.Schedule;

import java.util.function.Supplier;
import java.util.stream.Stream;

class OptimizersTest {

    @ParameterizedTest(name = "step {0} -> {1}")
    @CsvSource({"0,0.1", "1,0.1", "5,0.1", "6,0.01", "7,0.01", "11,0.01", "12,0.001", "14,0.001", "1000,0.001"})
    void lrDropsAtEpochBoundaries(long step, double expected) {
        // 3 steps per epoch, drops at the start of epochs 2 and 4: steps 6 and 12.
        Schedule lr = Optimizers.sgd().lr(0.1).lrDropAt(4, 2).learningRate(3, 5);
        assertEquals(expected, lr.valueAt(step), 1e-15);
        assertEquals((float) expected, Optimizers.sgd().lr(0.1).lrDropAt(2, 4).create(3, 5).learningRateAt(step), 1e-9f);
    }

    @Test
    void lrDropFactor() {
        Schedule lr = Optimizers.sgd().lr(0.2).lrDropAt(1).lrDropFactor(0.5).learningRate(10, 3);
        assertEquals(0.2, lr.valueAt(9));
        assertEquals(0.1, lr.valueAt(10));
    }

    @Test
    void constantByDefault() {
        Schedule lr = Optimizers.sgd().learningRate(10, 3);
        assertEquals(0.1, lr.valueAt(0));
        assertEquals(0.1, lr.valueAt(29));
        assertEquals(1e-3, Optimizers.adamW().learningRate(10, 3).valueAt(17));
    }

    @Test
    void cosineAtStartHalfAndEnd() {
        Schedule lr = Optimizers.sgd().lr(0.1).cosineLr().learningRate(10, 2); // T = 20 steps
        assertEquals(0.1, lr.valueAt(0), 1e-15);
        assertEquals(0.05, lr.valueAt(10), 1e-15);
        assertEquals(0.0, lr.valueAt(20), 1e-15);
        assertEquals(0.0, lr.valueAt(25), 1e-15);
        assertEquals(0.05 * (1 + Math.cos(Math.PI * 5 / 20)), lr.valueAt(5), 1e-15);
        Schedule toFloor = Optimizers.adamW().lr(0.1).cosineLr(0.01).learningRate(10, 2);
        assertEquals(0.055, toFloor.valueAt(10), 1e-15);
        assertEquals(0.01, toFloor.valueAt(20), 1e-15);
    }

    @Test
    void learningRatePolicyRecord() {
        LearningRate policy = new LearningRate(LearningRate.Kind.MULTI_STEP, 0.1, 0.1, new int[] {75, 50}, 0);
        assertArrayEquals(new int[] {50, 75}, policy.dropEpochs());
        policy.dropEpochs()[0] = 1; // a copy: the record stays unchanged
        assertArrayEquals(new int[] {50, 75}, policy.dropEpochs());
        assertEquals("lr=0.1 x0.1 at epochs [50, 75]", policy.describe());
        assertEquals("lr=0.1 cosine to 0.0", new LearningRate(LearningRate.Kind.COSINE, 0.1, 0.1, null, 0).describe());
        assertEquals("lr=0.5", new LearningRate(LearningRate.Kind.CONSTANT, 0.5, 0.1, null, 0).describe());
    }

    @Test
    void describe() {
        assertEquals("sgd lr=0.1 x0.1 at epochs [50, 75] momentum=0.9 nesterov wd=5.0E-4",
                Optimizers.sgd().nesterov(true).weightDecay(5e-4).lrDropAt(50, 75).describe());
        assertEquals("adamw lr=0.001 betas=(0.9, 0.999) wd=0.01", Optimizers.adamW().describe());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.sgd().momentum(1.5), "momentum 1.5 is outside [0, 1)"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.sgd().momentum(1.0), "momentum 1.0 is outside [0, 1)"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.sgd().momentum(-0.1), "momentum -0.1 is outside [0, 1)"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.sgd().momentum(Double.NaN), "momentum NaN is outside [0, 1)"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.sgd().weightDecay(-1e-4),
                        "weight decay -1.0E-4 must be a finite number >= 0"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.adamW().weightDecay(Double.POSITIVE_INFINITY),
                        "weight decay Infinity must be a finite number >= 0"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.sgd().lr(0), "learning rate 0.0 must be a positive finite number"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.sgd().lr(-0.1), "learning rate -0.1 must be a positive finite number"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.adamW().lr(Double.NaN), "learning rate NaN must be a positive finite number"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.sgd().momentum(0).nesterov(true),
                        "Nesterov needs momentum > 0, got momentum 0.0"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.sgd().lrDropAt(5).lrDropFactor(1.5),
                        "learning-rate drop factor 1.5 is outside (0, 1]"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.sgd().lrDropAt(5).lrDropFactor(0),
                        "learning-rate drop factor 0.0 is outside (0, 1]"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.sgd().lrDropAt(0, 5),
                        "learning-rate drop epoch 0 must be at least 1"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.sgd().lr(0.1).cosineLr(0.2),
                        "final cosine learning rate 0.2 is outside [0, 0.1)"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.sgd().lr(0.1).cosineLr(-0.01),
                        "final cosine learning rate -0.01 is outside [0, 0.1)"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.adamW().betas(1.0, 0.999), "beta 1.0 is outside [0, 1)"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.adamW().betas(0.9, -0.5), "beta -0.5 is outside [0, 1)"),
                Arguments.of((Supplier<Optimizers.Base<?>>) () -> Optimizers.adamW().epsilon(0), "epsilon 0.0 must be > 0"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void invalidSettingsAreRejectedAtCreate(Supplier<Optimizers.Base<?>> settings, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings.get().create(10, 5));
        assertEquals(message, e.getMessage());
    }

    @Test
    void validSettingsPass() {
        Optimizers.sgd().momentum(0).weightDecay(0).validate();
        Optimizers.sgd().momentum(0.99).nesterov(true).lr(1e-5).validate();
        Optimizers.adamW().betas(0, 0).weightDecay(0).validate();
    }
}
