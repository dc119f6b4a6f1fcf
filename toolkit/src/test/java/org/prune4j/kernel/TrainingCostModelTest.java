package org.prune4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The training kernel's per-layer cost model: its crossover by hand, its refusals, and a calibration on this machine. */
class TrainingCostModelTest {

    @Test
    void theCrossoverIsTheCostRatioRoundedDownToAHundredthAndCappedAtOne() {
        // 5 ns per dense weight against 40 ns per kept weight: sparse pays below 12.5% kept, rounded down to 12%.
        assertEquals(0.12, new TrainingCostModel(5.0, 40.0).crossoverDensity(), 1e-12);
        assertEquals(0.25, new TrainingCostModel(1.0, 4.0).crossoverDensity(), 1e-12);
        // A sparse path cheaper per weight than the dense one wins at every density.
        assertEquals(1.0, new TrainingCostModel(50.0, 40.0).crossoverDensity(), 1e-12);
    }

    @Test
    void costsThatAreNotPositiveAreRefusedWithTheValue() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new TrainingCostModel(0, 1));
        assertEquals("cost 0.0 ns is outside (0, infinity): expected a positive time per weight", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainingCostModel(1, Double.NaN));
    }

    @Test
    void thisMachinesCalibrationPutsTheCrossoverBetweenOnePercentAndDense() {
        assumeTrue(SparseMlpKernel.denseProductAvailable(), "PyTorch's sgemm_ not found: " + NativeKernels.status());
        TrainingCostModel model = TrainingCostModel.measured(128);
        // The same model for the rest of the JVM, so every session at batch 128 plans alike.
        assertTrue(model == TrainingCostModel.measured(128));
        double crossover = model.crossoverDensity();
        // A tuned BLAS beats a gather-and-axpy loop per weight, but not by 100x: between 1% and dense.
        assertTrue(crossover > 0.01 && crossover <= 1.0, model.toString());
    }
}
