package org.prune4j.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** glibc takes the fixed malloc thresholds the vs-pytorch profiles run under. */
class ProcessHeapTest {

    @Test
    void glibcTakesTheThresholds() {
        assumeTrue(NativeKernels.available(), "needs the native kernels: " + NativeKernels.status());
        assertTrue(ProcessHeap.keepFreedMemory());
    }
}
