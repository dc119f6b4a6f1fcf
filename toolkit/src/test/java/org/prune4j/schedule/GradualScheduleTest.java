package org.prune4j.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GradualScheduleTest {

    private static final double EPS = 1e-12;

    /** s_i = 0, s_f = 0.9, t0 = 0, t1 = 1000, dT = 100, p = 3. */
    private static GradualSchedule zhuGupta() {
        return Schedules.gradual().from(0.0).to(0.9).startStep(0).endStep(1000).every(100).power(3).build();
    }

    // s_t = 0.9 + (0 - 0.9) (1 - u/1000)^3 = 0.9 (1 - (1 - u/1000)^3), u = last update step <= t.
    @ParameterizedTest(name = "step {0} -> {1}")
    @CsvSource({
        "0,    0.0",      // 0.9 (1 - 1^3)
        "99,   0.0",      // still the value of update step 0
        "100,  0.2439",   // 0.9 (1 - 0.9^3)   = 0.9 * 0.271
        "150,  0.2439",   // held until the next update at 200
        "500,  0.7875",   // 0.9 (1 - 0.5^3)   = 0.9 * 0.875
        "900,  0.8991",   // 0.9 (1 - 0.1^3)   = 0.9 * 0.999
        "999,  0.8991",   // held
        "1000, 0.9",      // t1: final sparsity
        "5000, 0.9",      // after t1
    })
    void valuesAtKnownSteps(long step, double expected) {
        assertEquals(expected, zhuGupta().valueAt(step), EPS);
    }

    @Test
    void initialSparsityBeforeStartAndPowerTwo() {
        // s_i = 0.5, s_f = 0.9, t0 = 200, t1 = 600, dT = 100, p = 2: s = 0.9 - 0.4 (1 - (u - 200)/400)^2
        GradualSchedule s = Schedules.gradual().from(0.5).to(0.9).startStep(200).endStep(600).every(100)
                .power(2).build();
        assertEquals(0.5, s.valueAt(0), EPS);
        assertEquals(0.5, s.valueAt(199), EPS);
        assertEquals(0.5, s.valueAt(200), EPS);     // 0.9 - 0.4 * 1
        assertEquals(0.675, s.valueAt(300), EPS);   // 0.9 - 0.4 * 0.75^2 = 0.9 - 0.225
        assertEquals(0.8, s.valueAt(499), EPS);     // u = 400: 0.9 - 0.4 * 0.5^2
        assertEquals(0.875, s.valueAt(500), EPS);   // 0.9 - 0.4 * 0.25^2 = 0.9 - 0.025
        assertEquals(0.9, s.valueAt(600), EPS);
    }

    @Test
    void endStepIsReachedExactlyWhenNotAMultipleOfTheInterval() {
        // t0 = 0, t1 = 250, dT = 100, p = 1 (linear): 0.5 * u / 250 at u = 0, 100, 200, then 0.5 at 250.
        GradualSchedule s = Schedules.gradual().to(0.5).endStep(250).every(100).power(1).build();
        assertEquals(0.2, s.valueAt(100), EPS);  // 0.5 * 100/250
        assertEquals(0.4, s.valueAt(200), EPS);  // 0.5 * 200/250
        assertEquals(0.4, s.valueAt(249), EPS);
        assertEquals(0.5, s.valueAt(250), EPS);  // the short last interval ends at t1
        assertTrue(s.isUpdateStep(250));
        assertFalse(s.isUpdateStep(300));
    }

    @ParameterizedTest(name = "isUpdateStep({0}) = {1}")
    @CsvSource({"-100, false", "0, true", "1, false", "99, false", "100, true", "500, true", "950, false",
        "1000, true", "1100, false"})
    void updateSteps(long step, boolean expected) {
        assertEquals(expected, zhuGupta().isUpdateStep(step));
    }

    @Test
    void updateStepsWithOffsetStart() {
        GradualSchedule s = Schedules.gradual().to(0.8).startStep(30).endStep(330).every(100).build();
        assertFalse(s.isUpdateStep(0));
        assertTrue(s.isUpdateStep(30));
        assertFalse(s.isUpdateStep(100));
        assertTrue(s.isUpdateStep(130));
        assertTrue(s.isUpdateStep(330));
    }

    @Test
    void monotoneNonDecreasing() {
        GradualSchedule s = Schedules.gradual().from(0.2).to(0.98).startStep(37).endStep(4321).every(77)
                .power(2.5).build();
        double previous = s.valueAt(0);
        for (long t = 1; t <= 5000; t++) {
            double v = s.valueAt(t);
            assertTrue(v >= previous, "decreased at step " + t);
            previous = v;
        }
        assertEquals(0.98, previous, 0.0);
    }

    @Test
    void valueChangesOnlyAtUpdateSteps() {
        GradualSchedule s = zhuGupta();
        for (long t = 1; t <= 1200; t++) {
            if (s.valueAt(t) != s.valueAt(t - 1)) {
                assertTrue(s.isUpdateStep(t), "value changed at non-update step " + t);
            }
        }
    }

    @Test
    void sampleForPlotting() {
        // steps 0, 250, 500, 750, 1000 use update steps 0, 200, 500, 700, 1000:
        // 0, 0.9 (1 - 0.8^3) = 0.9 * 0.488, 0.7875, 0.9 (1 - 0.3^3) = 0.9 * 0.973, 0.9
        assertArrayEquals(new double[] {0.0, 0.4392, 0.7875, 0.8757, 0.9},
                zhuGupta().sample(0, 1000, 250), EPS);
    }

    @Test
    void describe() {
        GradualSchedule s = Schedules.gradual().from(0).to(0.9).endStep(3000).every(100).build();
        assertEquals("gradual 0.00 -> 0.90 over steps [0, 3000], every 100, power 3", s.describe());
        assertEquals(s.describe(), s.toString());
    }

    @ParameterizedTest(name = "from {0} to {1} steps [{2}, {3}] every {4} power {5}")
    @CsvSource(delimiter = '|', textBlock = """
        # from | to  | t0  | t1   | dT  | p   | message fragments
          -0.1 | 0.9 | 0   | 1000 | 100 | 3   | initial sparsity -0.1 is outside [0, 1)
          1.0  | 0.9 | 0   | 1000 | 100 | 3   | initial sparsity 1.0 is outside [0, 1)
          0.0  | 1.5 | 0   | 1000 | 100 | 3   | final sparsity 1.5 is outside [0, 1)
          0.0  | 1.0 | 0   | 1000 | 100 | 3   | final sparsity 1.0 is outside [0, 1)
          0.0  | NaN | 0   | 1000 | 100 | 3   | final sparsity NaN is outside [0, 1)
          0.5  | 0.3 | 0   | 1000 | 100 | 3   | initial sparsity 0.5 is above final sparsity 0.3
          0.0  | 0.9 | -1  | 1000 | 100 | 3   | start step -1 is negative (needs startStep >= 0)
          0.0  | 0.9 | 100 | 100  | 100 | 3   | end step 100 is not after start step 100 (needs endStep > startStep)
          0.0  | 0.9 | 100 | 50   | 100 | 3   | end step 50 is not after start step 100
          0.0  | 0.9 | 0   | 1000 | 0   | 3   | update interval 0 is below 1 (needs every >= 1)
          0.0  | 0.9 | 0   | 1000 | -5  | 3   | update interval -5 is below 1
          0.0  | 0.9 | 0   | 1000 | 100 | 0   | power 0.0 is outside (0, inf)
          0.0  | 0.9 | 0   | 1000 | 100 | -2  | power -2.0 is outside (0, inf)
        """)
    void rejectsBadSettings(double from, double to, long t0, long t1, long dT, double p, String message) {
        GradualSchedule.Builder b = Schedules.gradual().from(from).to(to).startStep(t0).endStep(t1).every(dT)
                .power(p);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one-line message");
    }

    @Test
    void requiredSettingsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Schedules.gradual().endStep(10).every(1).build()).getMessage().contains("final sparsity"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Schedules.gradual().to(0.5).every(1).build()).getMessage().contains("end step"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Schedules.gradual().to(0.5).endStep(10).build()).getMessage().contains("update interval"));
    }
}
