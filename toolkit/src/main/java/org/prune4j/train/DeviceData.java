package org.prune4j.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import org.prune4j.data.ImageData;

/**
 * A whole dataset copied to the training device once, with batches gathered there.
 *
 * <p>Why not DJL's ArrayDataset for training: it builds each batch from per-example arrays on the host,
 * which costs more than a LeNet step. Here the only per-epoch host-to-device copy is the shuffled order.
 */
final class DeviceData implements AutoCloseable {

    private final ImageData data;
    private final NDManager manager;
    private final NDArray images;
    private final NDArray labels;

    DeviceData(ImageData data, NDManager parent, Device device) {
        this.data = data;
        this.manager = parent.newSubManager(device);
        this.images = upload(data, manager);
        this.labels = manager.create(longs(data.labels()));
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
        return order == null ? images.get(start + ":" + end) : images.get(order.get(start + ":" + end));
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
