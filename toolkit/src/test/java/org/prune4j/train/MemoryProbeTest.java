package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryProbeTest {

    @Test
    void peakResidentMemoryIsReadForALiveProcessAndMinusOneForAGoneOne() throws Exception {
        long now = MemoryProbe.residentBytes();
        long peak = MemoryProbe.peakResidentBytes(ProcessHandle.current().pid());
        assertTrue(now > 20L << 20, "a running JVM holds more than 20 MB, read " + now);
        assertTrue(peak >= now, "the high-water mark " + peak + " is at least the resident size read before it, " + now);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertEquals(-1, MemoryProbe.peakResidentBytes(gone.pid()));
    }
}
