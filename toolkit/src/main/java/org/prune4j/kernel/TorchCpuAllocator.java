package org.prune4j.kernel;

import ai.djl.engine.Engine;

/**
 * Makes PyTorch's CPU allocator zero every allocation, so that no kernel can read stale bytes as numbers.
 *
 * <p>Why: oneDNN, which runs PyTorch's CPU convolutions, stores activations and weights in blocked layouts whose
 * channel count is padded up to the vector block (16 floats with AVX-512). LeNet-5's convolutions have 1 and 20
 * channels, so part of every block is padding, multiplied by zero weights. oneDNN assumes the padding lanes are
 * zero; PyTorch hands it reused allocations, and where those held a NaN or an infinity, zero times it is NaN. The
 * same seed then trained to 0.8353 in one process and stopped with a NaN loss at step 1, 25 or 51 in another
 * (about half of the runs on an AVX-512 machine; docs/models.md). c10 has a flag for zero-filled allocations
 * ({@code caffe2_cpu_allocator_do_zero_fill}); it is not reachable from DJL, so the fused-kernel library sets it.
 * The cost is one memset per CPU tensor allocation (docs/benchmarks.md).
 *
 * <p>Without the native library (no C compiler at build time) nothing changes and {@link #status()} says so;
 * {@code -Dprune4j.torchZeroFill=false} leaves the allocator as PyTorch has it (for benchmarks of the cost).
 */
public final class TorchCpuAllocator {

    /** The system property that leaves PyTorch's allocator unchanged when set to {@code false}. */
    public static final String ENABLED_PROPERTY = "prune4j.torchZeroFill";

    private static String status = "not requested";
    private static boolean zeroFilled;

    private TorchCpuAllocator() {}

    /**
     * Turns zero fill on once per JVM, after loading the PyTorch engine; later calls return at once.
     *
     * @return whether CPU allocations are now zero-filled
     */
    public static synchronized boolean zeroFill() {
        if (zeroFilled) {
            return true;
        }
        if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY))) {
            status = "turned off by -D" + ENABLED_PROPERTY + "=false";
            return false;
        }
        if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
            status = "not PyTorch: engine " + Engine.getInstance().getEngineName();
            return false;
        }
        if (!NativeKernels.available()) {
            status = "not set: Prune4J's native library is " + NativeKernels.status();
            return false;
        }
        int result = zeroFillNative();
        zeroFilled = result == 1;
        status = switch (result) {
            case 1 -> "zero-filled (c10 caffe2_cpu_allocator_do_zero_fill)";
            case 0 -> "not set: PyTorch's libc10.so is not loaded in this process";
            default -> "not set: this PyTorch's libc10.so has no caffe2_cpu_allocator_do_zero_fill flag";
        };
        return zeroFilled;
    }

    /** What {@link #zeroFill()} did, for diagnostics. */
    public static synchronized String status() {
        return status;
    }

    private static native int zeroFillNative();
}
