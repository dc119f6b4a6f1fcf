package org.prune4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;
import org.prune4j.ManagedTest;

class TorchCpuAllocatorTest extends ManagedTest {

    @Test
    void zeroFillIsOnWhereverTheNativeLibraryIsLoaded() {
        assumeTrue(System.getProperty(TorchCpuAllocator.ENABLED_PROPERTY) == null, "turned off on purpose");
        assertEquals(NativeKernels.available(), TorchCpuAllocator.zeroFill(), TorchCpuAllocator.status());
        // Idempotent: a second call changes nothing and says the same.
        String status = TorchCpuAllocator.status();
        assertEquals(NativeKernels.available(), TorchCpuAllocator.zeroFill());
        assertEquals(status, TorchCpuAllocator.status());
    }

    @Test
    void anUninitialisedTensorReadsZeroEvenWhereAFreedNaNTensorLay() {
        assumeTrue(TorchCpuAllocator.zeroFill(), TorchCpuAllocator.status());
        Shape shape = new Shape(64, 64); // 16 KB: below malloc's mmap threshold, so freed blocks are reused
        for (int round = 0; round < 20; round++) {
            manager.full(shape, Float.NaN).close();
            // create(shape) is torch.empty: PyTorch does not initialise it; the c10 flag does.
            try (NDArray empty = manager.create(shape)) {
                float[] values = empty.toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    assertTrue(values[i] == 0f && Float.floatToRawIntBits(values[i]) == 0,
                            "round " + round + ": value " + i + " of an uninitialised tensor is " + values[i]);
                }
            }
        }
    }
}
