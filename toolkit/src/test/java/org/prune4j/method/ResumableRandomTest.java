package org.prune4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

class ResumableRandomTest {

    /** A mixed draw of every kind methods use, as one value per call. */
    private static double[] draws(Random random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            switch (i % 6) {
                case 0 -> values[i] = random.nextInt();
                case 1 -> values[i] = random.nextInt(1000);
                case 2 -> values[i] = random.nextFloat();
                case 3 -> values[i] = random.nextLong();
                case 4 -> values[i] = random.nextDouble();
                default -> values[i] = random.nextGaussian();
            }
        }
        return values;
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, -7, Long.MAX_VALUE})
    void drawsExactlyJavaUtilRandomsSequence(long seed) {
        assertArrayEquals(draws(new Random(seed), 600), draws(new ResumableRandom(seed), 600));
    }

    @Test
    void aRestoredStateContinuesTheSequenceIncludingASpareGaussian() {
        ResumableRandom original = new ResumableRandom(9);
        draws(original, 100);
        original.nextGaussian(); // leaves a spare Gaussian held
        long[] state = original.state();
        assertEquals(1, state[1]);
        double[] expected = draws(original, 300);

        ResumableRandom resumed = new ResumableRandom(12345);
        resumed.restore(state);

        assertArrayEquals(expected, draws(resumed, 300));
    }

    @Test
    void setSeedRestartsTheSequence() {
        ResumableRandom random = new ResumableRandom(3);
        draws(random, 50);
        random.setSeed(3);
        assertArrayEquals(draws(new Random(3), 50), draws(random, 50));
    }

    @Test
    void aMalformedStateIsRefusedNamingIt() {
        ResumableRandom random = new ResumableRandom(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> random.restore(new long[] {1L << 50, 0, 0}));
        assertEquals("random state [1125899906842624, 0, 0] is not [48-bit seed, 0|1, gaussian bits]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> random.restore(new long[] {1, 2, 0}));
        assertThrows(IllegalArgumentException.class, () -> random.restore(new long[] {1}));
    }
}
