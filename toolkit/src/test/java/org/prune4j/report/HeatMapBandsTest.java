package org.prune4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HeatMapBandsTest {

    @Test
    void widthIsTheSmallestRoundStepThatCoversTheMaximum() {
        assertEquals(5.0, HeatMapBands.width(30, 6), 1e-12);     // exactly 6 x 5
        assertEquals(10.0, HeatMapBands.width(31, 6), 1e-12);    // 31/6 = 5.17 -> 10
        assertEquals(2.0, HeatMapBands.width(12, 6), 1e-12);     // 12/6 = 2 exactly
        assertEquals(2.5, HeatMapBands.width(12.1, 6), 1e-12);   // 2.02 -> 2.5
        assertEquals(0.5, HeatMapBands.width(2.9, 6), 1e-12);    // 0.483 -> 0.5
        assertEquals(20.0, HeatMapBands.width(100, 6), 1e-12);   // 16.7 -> 20
        assertEquals(0.01, HeatMapBands.width(0, 6), 1e-12);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> HeatMapBands.width(-1, 6));
        assertThrows(IllegalArgumentException.class, () -> HeatMapBands.width(Double.NaN, 6));
        assertThrows(IllegalArgumentException.class, () -> HeatMapBands.width(10, 0));
    }
}
