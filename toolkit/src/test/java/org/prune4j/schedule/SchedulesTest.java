package org.prune4j.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchedulesTest {

    private static final double EPS = 1e-12;

    @Test
    void constant() {
        Schedule s = Schedules.constant(0.7);
        assertEquals(0.7, s.valueAt(0));
        assertEquals(0.7, s.valueAt(1_000_000));
        assertEquals("constant 0.70", s.describe());
    }

    @ParameterizedTest(name = "step {0} -> {1}")
    @CsvSource({"0, 0.0", "499, 0.0", "500, 0.9", "501, 0.9", "100000, 0.9"})
    void oneShotSwitchesAtItsStep(long step, double expected) {
        assertEquals(expected, Schedules.oneShot(500, 0.0, 0.9).valueAt(step));
    }

    @Test
    void oneShotAtZeroIsAfterFromTheStart() {
        assertEquals(0.9, Schedules.oneShot(0, 0.0, 0.9).valueAt(0));
        assertEquals("one-shot 0.00 -> 0.90 at step 500", Schedules.oneShot(500, 0, 0.9).describe());
    }

    // GraNet drop rate r0 = 0.5, rmin = 0.005, T = 1000: r_t = 0.005 + 0.2475 (1 + cos(pi t / 1000)).
    @ParameterizedTest(name = "step {0} -> {1}")
    @CsvSource({
        "0,    0.5",                 // 0.005 + 0.2475 * 2
        "250,  0.42750892834367",    // 0.005 + 0.2475 * (1 + cos(pi/4)) = 0.005 + 0.2475 * 1.70710678118655
        "500,  0.2525",              // 0.005 + 0.2475 * 1
        "1000, 0.005",               // cos(pi) = -1
        "1500, 0.005",               // clamped after T
        "-10,  0.5",                 // clamped before 0
    })
    void cosineDecay(long step, double expected) {
        assertEquals(expected, Schedules.cosine(0.5, 0.005, 1000).valueAt(step), 1e-13);
    }

    @Test
    void rigLDropRateReachesZeroAtThreeQuartersOfTraining() {
        long steps = 1000;
        Schedule r = Schedules.cosine(0.3, 0.0, steps * 3 / 4);
        assertEquals(0.3, r.valueAt(0), EPS);
        assertEquals(0.15, r.valueAt(375), EPS);  // 0.5 * 0.3 * (1 + cos(pi/2))
        assertEquals(0.0, r.valueAt(750), EPS);
        assertEquals(0.0, r.valueAt(999), EPS);
    }

    @Test
    void cosineIsMonotoneNonIncreasing() {
        Schedule r = Schedules.cosine(0.5, 0.005, 777);
        double previous = r.valueAt(0);
        for (long t = 1; t <= 1000; t++) {
            assertTrue(r.valueAt(t) <= previous, "increased at " + t);
            previous = r.valueAt(t);
        }
        assertEquals("cosine 0.50 -> 0.005 over 777 steps", r.describe());
    }

    @ParameterizedTest(name = "cosine({0}, {1}, {2})")
    @CsvSource(delimiter = '|', textBlock = """
        NaN  | 0.0  | 100 | initial rate NaN is outside [0, inf)
        -0.1 | 0.0  | 100 | initial rate -0.1 is outside [0, inf)
        0.5  | 0.6  | 100 | minimum rate 0.6 is outside [0, 0.5]
        0.5  | -0.1 | 100 | minimum rate -0.1 is outside [0, 0.5]
        0.5  | 0.0  | 0   | total steps 0 is below 1
        """)
    void cosineRejectsBadSettings(double initial, double min, long steps, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> Schedules.cosine(initial, min, steps));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void oneShotAndConstantRejectBadValues() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schedules.oneShot(-1, 0, 0.5))
                .getMessage().contains("one-shot step -1 is negative"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schedules.constant(Double.NaN))
                .getMessage().contains("constant value NaN is not finite"));
    }

    @Test
    void sampleIncludesTheLastStepWhenItFallsOnTheGrid() {
        Schedule s = Schedules.oneShot(10, 1, 2);
        assertArrayEquals(new double[] {1, 1, 2, 2}, s.sample(0, 15, 5));
        assertArrayEquals(new double[] {1, 2}, s.sample(5, 14, 5));
        assertArrayEquals(new double[] {2}, s.sample(20, 20, 5));
    }

    @Test
    void sampleRejectsBadRanges() {
        Schedule s = Schedules.constant(1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.sample(0, 10, 0))
                .getMessage().contains("sampling interval 0 is below 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.sample(10, 5, 1))
                .getMessage().contains("[10, 5] is empty"));
    }

    @Test
    void aLambdaIsASchedule() {
        Schedule linear = step -> step / 10.0;
        assertArrayEquals(new double[] {0, 0.5, 1.0}, linear.sample(0, 10, 5), EPS);
        assertEquals("custom schedule", linear.describe());
    }
}
