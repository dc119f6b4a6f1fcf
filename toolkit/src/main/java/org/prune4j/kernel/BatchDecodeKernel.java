package org.prune4j.kernel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;

/**
 * Gathers a batch of 8-bit images and decodes it by each channel's 256-entry table in one native pass
 * ({@code prune4j_batch.c}): the training data's batch on the CPU. One instance per uploaded dataset: the codes'
 * and tables' memory is resolved once, not at every batch.
 *
 * <p>Why: through DJL the same batch is an index over the codes, a conversion to int64 and a take, three
 * general-purpose ops over every pixel that cost a tenth of a LeNet-300-100 step (docs/benchmarks.md). The
 * floats written are the table's own, so the batch is bit-identical to the DJL ops'.
 */
public final class BatchDecodeKernel {

    private final NDArray codes;
    private final ByteBuffer codeBytes;
    private final ByteBuffer tableBytes;
    private final long channels;
    private final long plane;

    private BatchDecodeKernel(NDArray codes, NDArray tables) {
        this.codes = codes;
        Shape shape = codes.getShape();
        this.channels = shape.get(1);
        this.plane = shape.size() / (shape.get(0) * channels);
        if (tables.size() != 256 * channels) {
            throw new IllegalArgumentException("the batch kernel needs 256 table entries per channel: " + tables.size()
                    + " for " + channels + " channels");
        }
        // Views of the tensors' own memory (contiguous as uploaded): valid while the tensors are open.
        this.codeBytes = codes.toByteBuffer(true);
        this.tableBytes = tables.toByteBuffer(true);
    }

    /**
     * A decoder for these codes and tables, or null where the kernel cannot read them: it needs the kernels
     * loaded, the codes uint8 [N, C, H, W] and the tables float32 (256 C values), both PyTorch tensors on the CPU
     * that fit a direct buffer. The caller keeps both tensors open while it uses the decoder.
     */
    public static BatchDecodeKernel of(NDArray codes, NDArray tables) {
        boolean usable = NativeKernels.usable(tables) && onCpu(codes) && codes.getDataType() == DataType.UINT8
                && codes.getShape().dimension() == 4 && codes.size() <= Integer.MAX_VALUE;
        return usable ? new BatchDecodeKernel(codes, tables) : null;
    }

    private static boolean onCpu(NDArray array) {
        return Device.Type.CPU.equals(array.getDevice().getDeviceType())
                && "PyTorch".equals(array.getManager().getEngine().getEngineName());
    }

    /**
     * The images at positions [start, end) of {@code order} (file order where it is null), decoded: image b's
     * pixel p of channel c is {@code tables[256 c + codes[row][c][p]]}. The result is a new float32 array in
     * the codes' manager (and the current NDScope), shaped [end - start, C, H, W].
     *
     * @param order int64 positions into the images on the CPU, contiguous, or null
     * @throws IllegalArgumentException when the order is not int64 on the CPU, or one of its values is not a row
     */
    public NDArray gatherDecode(NDArray order, int start, int end) {
        if (order != null && (!onCpu(order) || order.getDataType() != DataType.INT64)) {
            throw new IllegalArgumentException("the batch kernel needs int64 positions on the CPU; got "
                    + order.getDataType() + " on " + order.getDevice());
        }
        Shape shape = codes.getShape();
        NDArray out = codes.getManager().create(new Shape(end - start, channels, shape.get(2), shape.get(3)));
        long bad = gatherDecode(codeBytes, shape.get(0), order == null ? null : order.toByteBuffer(true), start, end,
                tableBytes, channels, plane, out.toByteBuffer(true));
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
