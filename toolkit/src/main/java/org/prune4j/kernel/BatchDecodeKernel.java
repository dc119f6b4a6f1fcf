package org.prune4j.kernel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;

/**
 * Gathers a batch of 8-bit images and decodes it by each channel's 256-entry table in one native pass
 * ({@code prune4j_batch.c}): the training data's batch on the CPU.
 *
 * <p>Why: through DJL the same batch is an index over the codes, a conversion to int64 and a take, three
 * general-purpose ops over every pixel that cost a tenth of a LeNet-300-100 step (docs/benchmarks.md). The
 * floats written are the table's own, so the batch is bit-identical to the DJL ops'.
 */
public final class BatchDecodeKernel {

    private BatchDecodeKernel() {}

    /**
     * Whether {@link #gatherDecode} can read these tensors: the kernels loaded, the codes uint8 and the tables
     * float32, both PyTorch tensors on the CPU that fit a direct buffer.
     */
    public static boolean usable(NDArray codes, NDArray tables) {
        return NativeKernels.usable(tables) && onCpu(codes) && codes.getDataType() == DataType.UINT8
                && codes.size() <= Integer.MAX_VALUE;
    }

    private static boolean onCpu(NDArray array) {
        return Device.Type.CPU.equals(array.getDevice().getDeviceType())
                && "PyTorch".equals(array.getManager().getEngine().getEngineName());
    }

    /**
     * The images at positions [start, end) of {@code order} (file order where it is null), decoded: image b's
     * pixel p of channel c is {@code tables[256 c + codes[row][c][p]]}. The result is a new float32 array in
     * the codes' manager (and the current NDScope), shaped [end - start, C, H, W] like one image of the codes.
     *
     * @param codes  the images' codes, uint8 [N, C, H, W], contiguous (as uploaded)
     * @param tables every channel's table, one after the other (256 C floats)
     * @param order  int64 positions into the images, contiguous, or null
     * @throws IllegalArgumentException unless {@link #usable} holds, or when an order value is not a row
     */
    public static NDArray gatherDecode(NDArray codes, NDArray tables, NDArray order, int start, int end) {
        if (!usable(codes, tables) || (order != null && (!onCpu(order) || order.getDataType() != DataType.INT64))) {
            throw new IllegalArgumentException("the batch kernel needs uint8 codes, float32 tables and int64 positions"
                    + " on the CPU; got " + codes.getDataType() + " codes on " + codes.getDevice());
        }
        Shape shape = codes.getShape();
        long channels = shape.get(1);
        long plane = shape.size() / (shape.get(0) * channels);
        if (tables.size() != 256 * channels) {
            throw new IllegalArgumentException("the batch kernel needs 256 table entries per channel: " + tables.size()
                    + " for " + channels + " channels");
        }
        NDArray out = codes.getManager().create(new Shape(end - start, channels, shape.get(2), shape.get(3)));
        long bad = gatherDecode(codes.toByteBuffer(true), shape.get(0), order == null ? null : order.toByteBuffer(true),
                start, end, tables.toByteBuffer(true), channels, plane, out.toByteBuffer(true));
        if (bad >= 0) {
            out.close();
            throw new IllegalArgumentException("position " + bad + " of the order is not an image: expected 0 to "
                    + (shape.get(0) - 1));
        }
        return out;
    }

    private static native long gatherDecode(ByteBuffer codes, long rows, ByteBuffer order, long start, long end,
            ByteBuffer tables, long channels, long plane, ByteBuffer out);
}
