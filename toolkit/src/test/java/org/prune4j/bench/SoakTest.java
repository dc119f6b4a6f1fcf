package org.prune4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The short form of the memory soak ({@code ./prune4j bench-soak} runs 20,000 steps of LeNet-300-100): 2,000
 * steps of a small MLP with RigL
 * changing masks every 100 steps, with an evaluation per epoch and checkpoints; after a 500-step warm-up
 * the live NDArray count must not move at all, and the resident memory only within allocator noise.
 */
class SoakTest {

    @Test
    @Tag("slow")
    void liveArraysAndResidentMemoryStayFlatOverTwoThousandSteps() {
        SoakBenchmark.Result result = SoakBenchmark.run(SoakBenchmark.Size.SHORT, 2000, 500, 250);

        assertEquals(7, result.samples().size(), result.table().printAll());
        assertTrue(result.arraysFlat(), "live NDArrays grew:\n" + result.table().printAll());
        // The array count catches any leaked tensor exactly; this bound only guards against a gross native leak
        // (the allocator and the JIT move the resident size by a few MiB).
        assertTrue(result.residentGrowthMiB() < 64, SoakBenchmark.verdict(result, 0) + "\n" + result.table().printAll());
    }

    @Test
    void theVerdictNamesAGrowingArrayCount() {
        SoakBenchmark.Result growing = new SoakBenchmark.Result(List.of(new SoakBenchmark.Sample(500, 100, 500L << 20, 64L << 20),
                new SoakBenchmark.Sample(750, 100, 501L << 20, 64L << 20), new SoakBenchmark.Sample(1000, 103, 502L << 20, 64L << 20)),
                1000);
        assertEquals(3, growing.arrayGrowth());
        assertTrue(SoakBenchmark.verdict(growing, 1).startsWith("live NDArrays: 100 at step 500, GROWING (max growth 3)"));
        assertEquals(2.0, growing.residentGrowthMiB(), 1e-9);
        assertEquals(4.0, growing.residentSlopeMiBPer1000Steps(), 1e-9);
    }

    @Test
    void badSamplingSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SoakBenchmark.run(SoakBenchmark.Size.SHORT, 2000, 500, 30));
        assertEquals("soak sampling interval 30 must be a multiple of 50, >= 50", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SoakBenchmark.run(SoakBenchmark.Size.SHORT, 2000, 2000, 50));
        assertEquals("soak warm-up 2000 must be a multiple of 50 in [50, 2000)", e.getMessage());
    }
}
