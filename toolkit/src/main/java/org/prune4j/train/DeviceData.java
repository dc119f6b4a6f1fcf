package org.prune4j.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.prune4j.data.ImageData;
import org.prune4j.kernel.BatchDecodeKernel;

/**
 * A whole dataset copied to the training device once, with batches gathered there.
 *
 * <p>Why not DJL's ArrayDataset for training: it builds each batch from per-example arrays on the host,
 * which costs more than a LeNet step. Here the only per-epoch host-to-device copy is the shuffled order.
 *
 * <p>Image datasets go to the device as their 8-bit codes (a quarter of the floats: 47 MB for MNIST's training
 * images, not 188 MB) with each channel's 256-entry table, and a batch is decoded there by table lookup: the
 * same floats, bit for bit, as decoding on the host. On the CPU, with Prune4J's native kernels loaded, the
 * gather and the lookup are one pass ({@link BatchDecodeKernel}) instead of three DJL ops.
 */
final class DeviceData implements AutoCloseable {

    private final ImageData data;
    private final NDManager manager;
    /** The images: 8-bit codes where the data has them, else floats. */
    private final NDArray images;
    /** Every channel's table, one after the other (256 floats each), or null for float images. */
    private final NDArray table;
    /** 256 x channel for each pixel of an image, [1, C, H, W], or null with one channel or float images. */
    private final NDArray channelOffsets;
    private final NDArray labels;
    /** Gathers and decodes batches in one native pass (codes on the CPU, kernels loaded), else null. */
    private final BatchDecodeKernel decoder;

    DeviceData(ImageData data, NDManager parent, Device device) {
        this(data, parent, device, true);
    }

    /** With {@code batchKernel} false, batches always go through DJL ops (for tests of the kernel). */
    DeviceData(ImageData data, NDManager parent, Device device, boolean batchKernel) {
        this.data = data;
        this.manager = parent.newSubManager(device);
        if (data.hasCodes()) {
            this.images = uploadCodes(data, manager);
            float[][] tables = data.codeTables();
            float[] joined = new float[256 * tables.length];
            for (int c = 0; c < tables.length; c++) {
                System.arraycopy(tables[c], 0, joined, 256 * c, 256);
            }
            this.table = manager.create(joined);
            this.decoder = batchKernel ? BatchDecodeKernel.of(images, table) : null;
            // The DJL ops' lookup needs each pixel's channel offset; the native pass does not.
            this.channelOffsets = decoder != null || data.channels() == 1 ? null : channelOffsets(data, manager);
        } else {
            this.images = upload(data, manager);
            this.table = null;
            this.channelOffsets = null;
            this.decoder = null;
        }
        this.labels = manager.create(longs(data.labels()));
    }

    private static NDArray uploadCodes(ImageData data, NDManager manager) {
        Shape shape = new Shape(data.size(), data.channels(), data.height(), data.width());
        NDArray codes = manager.zeros(shape, DataType.UINT8);
        for (int from = 0; from < data.size(); from += UPLOAD_CHUNK) {
            int to = Math.min(data.size(), from + UPLOAD_CHUNK);
            try (NDArray chunk = manager.create(ByteBuffer.wrap(data.codes(from, to)),
                    new Shape(to - from, data.channels(), data.height(), data.width()), DataType.UINT8)) {
                codes.set(new NDIndex(from + ":" + to), chunk);
            }
        }
        return codes;
    }

    private static NDArray channelOffsets(ImageData data, NDManager manager) {
        int plane = data.height() * data.width();
        long[] offsets = new long[data.channels() * plane];
        for (int c = 0; c < data.channels(); c++) {
            Arrays.fill(offsets, c * plane, (c + 1) * plane, 256L * c);
        }
        return manager.create(offsets, new Shape(1, data.channels(), data.height(), data.width()));
    }

    /** Images per chunk of the upload: about 16 MB of floats for MNIST, 12 MB for CIFAR-10. */
    static final int UPLOAD_CHUNK = 5_000;

    /**
     * The images on the device, decoded and copied in chunks of {@link #UPLOAD_CHUNK} images, so that the host
     * never holds all of them as floats (the dataset keeps bytes; see {@code ImageData.pixels(int, int)}).
     */
    static NDArray upload(ImageData data, NDManager manager) {
        NDArray images = manager.zeros(new Shape(data.size(), data.channels(), data.height(), data.width()));
        for (int from = 0; from < data.size(); from += UPLOAD_CHUNK) {
            int to = Math.min(data.size(), from + UPLOAD_CHUNK);
            try (NDArray chunk = manager.create(data.pixels(from, to),
                    new Shape(to - from, data.channels(), data.height(), data.width()))) {
                images.set(new NDIndex(from + ":" + to), chunk);
            }
        }
        return images;
    }

    /** Whether batches are gathered and decoded in one native pass. */
    boolean decodesNatively() {
        return decoder != null;
    }

    int size() {
        return data.size();
    }

    /** Number of batches of the given size, the last one possibly smaller. */
    int batches(int batchSize) {
        return (data.size() + batchSize - 1) / batchSize;
    }

    /** The epoch's shuffled order on the device; the caller closes it. */
    NDArray order(long seed, int epoch) {
        // Created as int64 directly: an int32 array converted with toType would leave the int32 one open.
        return manager.create(longs(data.shuffledOrder(seed, epoch)));
    }

    private static long[] longs(int[] values) {
        long[] result = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    /** The batch's images at positions [start, end) of {@code order}, or in file order when it is null. */
    NDArray images(NDArray order, int start, int end) {
        if (decoder != null) {
            return decoder.gatherDecode(order, start, end);
        }
        NDArray gathered = order == null ? images.get(start + ":" + end) : images.get(order.get(start + ":" + end));
        if (table == null) {
            return gathered;
        }
        // Decoded by table lookup on the device: each code picks its channel's float.
        try (NDArray codes = gathered; NDArray index = codes.toType(DataType.INT64, false)) {
            if (channelOffsets == null) {
                return table.take(index);
            }
            try (NDArray shifted = index.add(channelOffsets)) {
                return table.take(shifted);
            }
        }
    }

    /** The batch's labels (int64) at positions [start, end) of {@code order}, or in file order. */
    NDArray labels(NDArray order, int start, int end) {
        return order == null ? labels.get(start + ":" + end) : labels.get(order.get(start + ":" + end));
    }

    Shape inputShape() {
        return new Shape(1, data.channels(), data.height(), data.width());
    }

    @Override
    public void close() {
        manager.close();
    }
}
