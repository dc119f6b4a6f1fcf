package org.prune4j.kernel;

/**
 * Fixes glibc malloc's thresholds in this process so that freed memory is kept for reuse
 * ({@code prune4j_heap.c}), for profiling a training step.
 *
 * <p>Why: with glibc's adaptive thresholds, libtorch's profiler runs saw each step's tensors mapped afresh and
 * their page faults charged to the op that first wrote them (a matrix product three times its unprofiled cost),
 * on Prune4J's side and on PyTorch's alike. {@code bench --suite vs-pytorch} calls this, and the same
 * {@code mallopt} in its Python worker, before its per-op profiles; training itself leaves glibc as it is
 * (no step-time difference measured with and without, docs/benchmarks.md).
 */
public final class ProcessHeap {

    /** Blocks up to this size come from the heap, not from their own mapping. */
    static final int MMAP_THRESHOLD = 64 << 20;
    /** Free memory at the heap's top that glibc keeps before returning it to the kernel. */
    static final int TRIM_THRESHOLD = 256 << 20;

    private ProcessHeap() {}

    /**
     * Sets the thresholds once; returns whether glibc took them (false without the native kernels).
     */
    public static boolean keepFreedMemory() {
        return NativeKernels.available() && keepFreedMemory(MMAP_THRESHOLD, TRIM_THRESHOLD);
    }

    private static native boolean keepFreedMemory(int mmapThreshold, int trimThreshold);
}
