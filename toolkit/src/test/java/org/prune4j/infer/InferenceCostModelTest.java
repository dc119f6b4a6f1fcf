package org.prune4j.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InferenceCostModelTest {

    // sparse 0.5 + 0.05 b ns per nonzero, no parallel speed-up; dense 2000 ns per call + (0.25 + 0.0125 b) ns per weight
    private static final InferenceCostModel COSTS = new InferenceCostModel(0.5, 0.05, 1, 2000, 0.25, 0.0125);

    @Test
    void costsFollowTheFormulas() {
        assertEquals(100 * (0.5 + 0.05 * 64), COSTS.sparseNs(100, 64), 1e-9);
        assertEquals(2000 + 1e6 * (0.25 + 0.0125), COSTS.denseNs(1000, 1000, 1), 1e-6);
    }

    @Test
    void aProductSplitOverAllThreadsIsFasterByTheSpeedup() {
        InferenceCostModel parallel = new InferenceCostModel(0.5, 0.05, KernelThreads.THREADS, 2000, 0.25, 0.0125);
        // Far above the split threshold every thread gets a part; far below, one thread does it all.
        long large = KernelThreads.PARALLEL_WORK * KernelThreads.THREADS * 10;
        assertEquals(COSTS.sparseNs(large, 1) / KernelThreads.THREADS, parallel.sparseNs(large, 1), 1e-6);
        assertEquals(COSTS.sparseNs(10, 1), parallel.sparseNs(10, 1), 1e-12);
    }

    @Test
    void theCrossoverDensityMovesWithTheBatch() {
        // batch 1: (2000 + 1e6 * 0.2625) / (1e6 * 0.55); batch 64: (2000 + 1e6 * 1.05) / (1e6 * 3.7)
        assertEquals(264_500 / 550_000.0, COSTS.crossoverDensity(1000, 1000, 1), 1e-3);
        assertEquals(1_052_000 / 3_700_000.0, COSTS.crossoverDensity(1000, 1000, 64), 1e-3);
        // At density 0.4 (400,000 nonzeros) sparse wins for one example and loses for 64.
        assertTrue(COSTS.sparseWins(1000, 1000, 400_000, 1));
        assertFalse(COSTS.sparseWins(1000, 1000, 400_000, 64));
        // A tiny layer is dominated by the dense per-call cost: sparse always pays, capped at density 1.
        assertEquals(1.0, COSTS.crossoverDensity(10, 10, 64), 0.0);
    }

    @Test
    void badConstantsAreRefusedWithTheirValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new InferenceCostModel(-1, 0, 1, 0, 0, 0))
                .getMessage().startsWith("cost -1.0 is outside [0, infinity)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new InferenceCostModel(1, Double.NaN, 1, 0, 0, 0))
                .getMessage().startsWith("cost NaN is outside [0, infinity)"));
        assertEquals("sparse costs are both 0: expected a positive cost per nonzero",
                assertThrows(IllegalArgumentException.class, () -> new InferenceCostModel(0, 0, 1, 1, 1, 1)).getMessage());
        assertEquals("sparse parallel speed-up 0.5 is below 1",
                assertThrows(IllegalArgumentException.class, () -> new InferenceCostModel(1, 0, 0.5, 1, 1, 1)).getMessage());
    }

    @Test
    void theMeasuredModelIsCalibratedOncePerJvm() {
        InferenceCostModel measured = InferenceCostModel.measured();
        assertSame(measured, InferenceCostModel.measured());
        assertTrue(measured.sparseNs(1, 64) > 0, measured.toString());
        assertTrue(measured.denseNs(1024, 1024, 64) > measured.denseNs(1024, 1024, 1), measured.toString());
    }
}
