package org.prune4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.prune4j.ManagedTest;

import java.util.Arrays;
import java.util.Random;

class MagnitudeBandTest extends ManagedTest {

    @BeforeEach
    void needsTheKernels() {
        assumeTrue(NativeKernels.available(), NativeKernels.status());
    }

    @Test
    void countsAboveTheCeilingAndCopiesTheBandFloorIncludedCeilingExcluded() {
        Random random = new Random(5);
        int n = 10_001; // a partial last block of 64
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) random.nextGaussian() * 0.05f;
        }
        float floor = 0.06f;
        float ceiling = 0.065f;
        w[17] = -floor; // exactly on the floor: in the band
        w[9_999] = ceiling; // exactly on the ceiling: above
        long above = 0;
        float[] expected = new float[n];
        int inBand = 0;
        for (float v : w) {
            float a = Math.abs(v);
            above += a >= ceiling ? 1 : 0;
            if (a >= floor && a < ceiling) {
                expected[inBand++] = a;
            }
        }
        float[] band = new float[n];
        MagnitudeBand.Counts counts = MagnitudeBand.scan(manager.create(w), floor, ceiling, band);
        assertEquals(above, counts.above());
        assertEquals(inBand, counts.inBand());
        float[] got = Arrays.copyOf(band, inBand);
        float[] want = Arrays.copyOf(expected, inBand);
        Arrays.sort(got);
        Arrays.sort(want);
        assertArrayEquals(want, got);
    }

    @Test
    void aFullBandStillCountsEverything() {
        NDArray w = manager.create(new float[] {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.9f});
        float[] band = new float[2];
        MagnitudeBand.Counts counts = MagnitudeBand.scan(w, 0.15f, 0.6f, band);
        assertEquals(1, counts.above(), "0.9");
        assertEquals(4, counts.inBand(), "0.2, 0.3, 0.4, 0.5: only the first two fit");
        assertArrayEquals(new float[] {0.2f, 0.3f}, band);
    }
}
