package org.prune4j.kernel;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

/**
 * A whole SGD training step of a masked multilayer perceptron (Linear, ReLU, ..., Linear, softmax
 * cross-entropy) over the kept weights only ({@code prune4j_sparse_step.c}): forward, loss, backward and the
 * update in one native call, in place on the model's tensors.
 *
 * <p>Why: at 95-99% sparsity a dense step spends almost all its time multiplying zeros, and every tensor op
 * through DJL is a JNI crossing. Here a step costs in proportion to the kept weights. The maths is the dense
 * path's with the masked terms left out; the order of summation differs, so results agree within float
 * rounding, not bit for bit ({@code SparseMlpStepTest}).
 *
 * <p>A layer whose mask keeps too much for sparse products to pay runs dense inside the same step: its products go
 * through the BLAS routine PyTorch itself calls ({@code sgemm_} in {@code libtorch_cpu.so}, found at run time; see
 * {@link #denseProductAvailable()}) and its update through the fused SGD kernel's code, mask included. Which layers
 * run dense is {@link TrainingCostModel}'s call.
 */
public final class SparseMlpKernel {

    private static Boolean denseProduct;

    private SparseMlpKernel() {}

    /**
     * Whether dense layers can run inside the step: the kernels are loaded, DJL's engine is PyTorch, and its
     * {@code sgemm_} was found in this process. Loads the engine first (its libraries are what is searched), so the
     * answer does not depend on whether anything used PyTorch before; kept for the JVM.
     */
    public static synchronized boolean denseProductAvailable() {
        if (denseProduct == null) {
            denseProduct = NativeKernels.available() && "PyTorch".equals(Engine.getInstance().getEngineName())
                    && findDenseProduct();
        }
        return denseProduct;
    }

    /**
     * A mask's kept positions as compressed rows: for output {@code i}, the kept input columns are
     * {@code column[rowStart[i] .. rowStart[i + 1])}, ascending. Direct buffers, read by the kernel.
     *
     * @param rowStart {@code out + 1} offsets
     * @param column   the kept columns, {@code rowStart[out]} of them
     */
    public record KeptRows(IntBuffer rowStart, IntBuffer column) {

        /** How many weights are kept. */
        public int kept() {
            return rowStart.get(rowStart.capacity() - 1);
        }
    }

    /** The kept positions of a 0/1 mask of shape [out, in] (a null mask keeps every weight). */
    public static KeptRows keptRows(NDArray mask, int out, int in) {
        return keptRows(mask == null ? null : mask.toFloatArray(), out, in);
    }

    /** The kept positions of a 0/1 mask given as {@code out x in} row-major values (null keeps every weight). */
    public static KeptRows keptRows(float[] values, int out, int in) {
        IntBuffer rowStart = ints(out + 1);
        int kept = 0;
        for (int i = 0; i < out; i++) {
            rowStart.put(i, kept);
            for (int j = 0; j < in; j++) {
                if (values == null || values[i * in + j] != 0f) {
                    kept++;
                }
            }
        }
        rowStart.put(out, kept);
        IntBuffer column = ints(Math.max(1, kept));
        int k = 0;
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                if (values == null || values[i * in + j] != 0f) {
                    column.put(k++, j);
                }
            }
        }
        return new KeptRows(rowStart, column);
    }

    /** Floats of scratch a step needs: batch x (sum of the widths + 2 x the widest hidden width). */
    public static long scratchFloats(int[] widths, int batch) {
        long sum = 0;
        int widest = 0;
        for (int k = 0; k < widths.length; k++) {
            sum += widths[k];
            if (k > 0 && k < widths.length - 1) {
                widest = Math.max(widest, widths[k]);
            }
        }
        return (long) batch * (sum + 2L * widest);
    }

    /** A direct, native-order buffer of this many floats. */
    public static ByteBuffer floats(long count) {
        return ByteBuffer.allocateDirect(Math.toIntExact(count * Float.BYTES)).order(ByteOrder.nativeOrder());
    }

    private static IntBuffer ints(int count) {
        return ByteBuffer.allocateDirect(count * Integer.BYTES).order(ByteOrder.nativeOrder()).asIntBuffer();
    }

    /** How many entries {@link #step} reads from {@code buffers} per layer. */
    public static final int BUFFERS_PER_LAYER = 8;

    /**
     * One step. {@code widths}: the input width, then each layer's output width. {@code buffers}: per layer
     * ({@link #BUFFERS_PER_LAYER}), weight, bias, weight velocity (null without momentum), bias velocity (null
     * without momentum), then for a sparse layer the row starts and columns of its {@link KeptRows} and two nulls,
     * for a dense layer (only where {@link #denseProductAvailable()}) two nulls, its 0/1 mask (null: none) and a
     * buffer of {@code out x in} floats for its weight gradient. {@code result} receives the batch's mean loss and
     * its correct count, as two float64.
     *
     * @param input  the batch, float32 [batch][widths[0]]
     * @param labels the labels, int64 [batch]
     */
    public static native void step(ByteBuffer input, ByteBuffer labels, int batch, int[] widths, Object[] buffers,
            ByteBuffer scratch, float lr, float momentum, float weightDecay, boolean nesterov, ByteBuffer result);

    /**
     * PyTorch's intra-op thread count as this thread sees it ({@code at::get_num_threads}), which the dense
     * products run with; 0 where the kernels or PyTorch's symbol are missing.
     */
    public static int torchThreads() {
        return NativeKernels.available() ? torchThreadsNative() : 0;
    }

    private static native boolean findDenseProduct();

    private static native int torchThreadsNative();
}
