package org.prune4j.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;
import org.prune4j.ManagedTest;
import org.prune4j.kernel.NativeKernels;

import java.util.Arrays;
import java.util.Random;

class BoundaryTrackerTest extends ManagedTest {

    /** The keep-th and (keep+1)-th largest by a full sort: the reference. */
    private static float[] sortedBoundary(float[] scores, int keep) {
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        return new float[] {sorted[sorted.length - keep], sorted[sorted.length - keep - 1]};
    }

    private static float[] read(NDArray[] bounds) {
        return new float[] {bounds[0].getFloat(), bounds[1].getFloat()};
    }

    /** One way of asking a tracker for the boundary of the magnitudes of signed weights. */
    private interface Ask {
        float[] boundary(BoundaryTracker tracker, NDArray weights, long keep);
    }

    /**
     * Drifting scores, moves of every size: small steps (the floor holds), a jump down of the whole tensor
     * (too few reach the floor: fallback), a change of keep, and quantised values with ties at the boundary.
     * Every answer equals the sorted reference.
     */
    @Test
    void equalsTheFullSelectionWhileScoresDriftJumpAndTie() {
        long fallbacks = driftJumpAndTie((tracker, weights, keep) -> read(tracker.boundary(weights.abs(), keep)));
        assertTrue(fallbacks >= 2 && fallbacks <= 10,
                "the halving and the drop of keep miss the floor, small drifts do not: " + fallbacks + " fallbacks");
    }

    /** The same scenario through the host path (a band scan where the fused kernels are loaded). */
    @Test
    void magnitudeBoundaryEqualsTheFullSelectionWhileWeightsDriftJumpAndTie() {
        long fallbacks = driftJumpAndTie(BoundaryTracker::magnitudeBoundary);
        if (NativeKernels.available()) {
            assertTrue(fallbacks >= 2 && fallbacks <= 15,
                    "the halving and the changes of keep miss the band, small drifts do not: " + fallbacks + " fallbacks");
        }
        assertThrows(IllegalArgumentException.class, () -> new BoundaryTracker().magnitudeBoundary(manager.zeros(new Shape(4)), 4));
    }

    /** Runs the scenario, checks every answer against a sort, and returns the tracker's fallbacks. */
    private long driftJumpAndTie(Ask ask) {
        Random random = new Random(7);
        int n = 20_000;
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) random.nextGaussian() * 0.05f;
        }
        BoundaryTracker tracker = new BoundaryTracker();
        int keep = 2_000;
        for (int call = 0; call < 60; call++) {
            for (int i = 0; i < n; i++) {
                w[i] += (float) random.nextGaussian() * 5e-4f;
            }
            if (call == 20) {
                for (int i = 0; i < n; i++) {
                    w[i] *= 0.5f; // every magnitude halves: the boundary leaves the floor behind
                }
            }
            if (call == 30) {
                keep = 1_000; // the ramp moves on: the boundary jumps up
            }
            if (call == 40) {
                keep = 5_000; // and down
            }
            if (call >= 50) {
                for (int i = 0; i < n; i++) {
                    w[i] = Math.round(w[i] * 200) / 200f; // coarse levels: ties straddle the boundary
                }
            }
            float[] scores = new float[n];
            for (int i = 0; i < n; i++) {
                scores[i] = Math.abs(w[i]);
            }
            try (NDScope ignored = new NDScope()) {
                float[] got = ask.boundary(tracker, manager.create(w), keep);
                float[] expected = sortedBoundary(scores, keep);
                assertEquals(expected[0], got[0], "smallest kept at call " + call);
                assertEquals(expected[1], got[1], "largest pruned at call " + call);
            }
        }
        return tracker.fallbacks();
    }

    @Test
    void boundaryAboveIsNullWhenTooFewReachTheFloor() {
        NDArray scores = manager.create(new float[] {0.1f, 0.5f, 0.3f, 0.9f, 0.2f});
        assertNull(TopK.boundaryAbove(scores, 2, 0.4f), "only 0.5 and 0.9 reach 0.4: the 3rd largest is below it");
        TopK.FloorBoundary found = TopK.boundaryAbove(scores, 2, 0.25f);
        assertEquals(0.5f, found.keptMin().getFloat());
        assertEquals(0.3f, found.prunedMax().getFloat());
        assertEquals(3, found.candidates(), "0.3, 0.5 and 0.9 reach 0.25");
        assertEquals(5, TopK.boundaryAbove(scores, 1, 0.0f).candidates(), "every score reaches a floor of 0");
        assertThrows(IllegalArgumentException.class, () -> TopK.boundaryAbove(scores, 5, 0f));
    }
}
