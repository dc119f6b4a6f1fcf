package org.prune4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.SequenceSampler;
import java.util.Arrays;
import java.util.Objects;

/**
 * A labelled set of images held in host memory: normalised pixels in NCHW order plus one class
 * index per image. Immutable.
 *
 * <p>Pixels live on the host rather than in an NDArray so that the data outlives any {@link NDManager},
 * can be moved to any device, and costs nothing to hold when a notebook only looks at it. The image
 * datasets keep the files' bytes with their normalisation tables ({@link PixelCodes}) and decode floats
 * on demand: {@link #pixels(int, int)} per range (what training uploads, chunk by chunk), {@link #pixels()}
 * all at once, kept after the first call. {@link #toDjl} turns it into a DJL dataset.
 */
public final class ImageData {
    private final String name;
    private final int size;
    private final int channels;
    private final int height;
    private final int width;
    private final int classes;
    /** The 8-bit form of image datasets, null for data made of floats (token ids, {@link #of}). */
    private final PixelCodes codes;
    /** The floats: given, or decoded from {@link #codes} at the first {@link #pixels()} call. */
    private volatile float[] pixels;
    private final int[] labels;

    /** Takes ownership of the arrays without copying: only loaders in this package call it. */
    ImageData(String name, int channels, int height, int width, int classes, float[] pixels, int[] labels) {
        this(name, channels, height, width, classes, Objects.requireNonNull(pixels, "pixels"), null, labels);
    }

    /** Images kept as bytes with their tables: only loaders in this package call it. */
    ImageData(String name, int channels, int height, int width, int classes, PixelCodes codes, int[] labels) {
        this(name, channels, height, width, classes, null, Objects.requireNonNull(codes, "codes"), labels);
    }

    private ImageData(String name, int channels, int height, int width, int classes, float[] pixels, PixelCodes codes,
                      int[] labels) {
        this.name = Objects.requireNonNull(name, "name");
        this.channels = positive(channels, "channels");
        this.height = positive(height, "height");
        this.width = positive(width, "width");
        this.classes = positive(classes, "classes");
        this.pixels = pixels;
        this.codes = codes;
        this.labels = Objects.requireNonNull(labels, "labels");
        this.size = labels.length;
        long expected = (long) size * channels * height * width;
        long given = pixels != null ? pixels.length : codes.bytes().length - (long) codes.offset();
        if (given != expected || codes != null && codes.imageSize() != channels * height * width) {
            throw new IllegalArgumentException("pixels.length = " + given + " must be size*channels*height*width = "
                    + size + "*" + channels + "*" + height + "*" + width + " = " + expected);
        }
        for (int i = 0; i < size; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " must be in [0, " + (classes - 1) + "]");
            }
        }
    }

    /**
     * Images from arrays of one's own (copied, so later changes to them do not leak in).
     *
     * @param pixels normalised values, NCHW row-major, length {@code labels.length * channels * height * width}
     * @param labels class indices in {@code [0, classes)}
     */
    public static ImageData of(String name, int channels, int height, int width, int classes, float[] pixels, int[] labels) {
        return new ImageData(name, channels, height, width, classes, pixels.clone(), labels.clone());
    }

    /** What the data is, e.g. {@code mnist/train}. */
    public String name() {
        return name;
    }

    /** Number of images. */
    public int size() {
        return size;
    }

    /** Colour channels per image (1 for MNIST, 3 for CIFAR-10). */
    public int channels() {
        return channels;
    }

    /** Image height in pixels. */
    public int height() {
        return height;
    }

    /** Image width in pixels. */
    public int width() {
        return width;
    }

    /** Number of classes; labels are in {@code [0, classes)}. */
    public int classes() {
        return classes;
    }

    /**
     * The normalised pixels, NCHW row-major: image {@code n}, channel {@code c}, row {@code y},
     * column {@code x} is at {@code ((n * channels + c) * height + y) * width + x}.
     *
     * <p>This is the internal array, not a copy (a copy of MNIST costs 188 MB): callers must not
     * modify it. An image dataset decodes it from its bytes at the first call and keeps it; code that only
     * needs a range (training's upload) uses {@link #pixels(int, int)} and never holds the whole.
     */
    public float[] pixels() {
        float[] result = pixels;
        if (result == null) {
            synchronized (this) {
                result = pixels;
                if (result == null) {
                    result = pixels(0, size);
                    pixels = result;
                }
            }
        }
        return result;
    }

    /**
     * A new array with the normalised pixels of images {@code [from, to)}, NCHW row-major: the same floats as
     * the matching range of {@link #pixels()}.
     *
     * @throws IllegalArgumentException if the range is not within {@code [0, size()]}
     */
    public float[] pixels(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IllegalArgumentException("images [" + from + ", " + to + ") are not within [0, " + size + "]");
        }
        float[] held = pixels;
        if (held != null) {
            return Arrays.copyOfRange(held, from * imageSize(), to * imageSize());
        }
        float[] result = new float[Math.multiplyExact(to - from, imageSize())];
        codes.decode(from, to, result, 0);
        return result;
    }

    /**
     * Whether the pixels are held as the files' 8-bit codes with a normalisation table per channel (the image
     * datasets), so that {@link #codes} and {@link #codeTables} give them; false for data made of floats.
     */
    public boolean hasCodes() {
        return codes != null;
    }

    /**
     * A new array with the 8-bit codes of images {@code [from, to)}, NCHW row-major: code v of channel c
     * stands for {@code codeTables()[c][v & 0xff]}, exactly the float {@link #pixels(int, int)} gives.
     *
     * @throws IllegalStateException    if the data holds floats ({@link #hasCodes()} is false)
     * @throws IllegalArgumentException if the range is not within {@code [0, size()]}
     */
    public byte[] codes(int from, int to) {
        if (codes == null) {
            throw new IllegalStateException(name + " holds floats, not 8-bit codes");
        }
        if (from < 0 || to > size || from > to) {
            throw new IllegalArgumentException("images [" + from + ", " + to + ") are not within [0, " + size + "]");
        }
        int start = codes.offset() + from * imageSize();
        return Arrays.copyOfRange(codes.bytes(), start, start + (to - from) * imageSize());
    }

    /** One 256-entry normalisation table per channel, copies (see {@link #codes}). */
    public float[][] codeTables() {
        if (codes == null) {
            throw new IllegalStateException(name + " holds floats, not 8-bit codes");
        }
        float[][] tables = new float[codes.channelTables().length][];
        for (int c = 0; c < tables.length; c++) {
            tables[c] = codes.channelTables()[c].clone();
        }
        return tables;
    }

    /**
     * The class index of each image. This is the internal array, not a copy: callers must not modify it.
     */
    public int[] labels() {
        return labels;
    }

    /** Values per image: {@code channels * height * width}. */
    public int imageSize() {
        return channels * height * width;
    }

    /**
     * The first {@code n} examples (the files' order, which for MNIST mixes the classes), for quick
     * experiments.
     *
     * @throws IllegalArgumentException if {@code n} is not in {@code [1, size()]}
     */
    public ImageData subset(int n) {
        if (n < 1 || n > size) {
            throw new IllegalArgumentException("subset size n = " + n + " must be in [1, " + size + "]");
        }
        if (n == size) {
            return this;
        }
        if (codes != null) {
            return new ImageData(name, channels, height, width, classes, codes.first(n), Arrays.copyOf(labels, n));
        }
        return new ImageData(name, channels, height, width, classes,
                Arrays.copyOf(pixels, n * imageSize()), Arrays.copyOf(labels, n));
    }

    /**
     * A deterministic permutation of {@code 0..size()-1} for one epoch: Fisher–Yates driven by
     * {@code new java.util.Random(seed * 1_000_003 + epoch)}. The same (seed, epoch) always gives the
     * same order, so a training run is reproducible; different epochs give different orders.
     */
    public int[] shuffledOrder(long seed, int epoch) {
        return SeededShuffle.order(size, seed, epoch);
    }

    /**
     * The data as a DJL {@link ArrayDataset} for plain DJL training loops: data of shape
     * {@code (size, channels, height, width)} and labels of shape {@code (size)}, both float32 (as
     * DJL's own MNIST dataset gives them, which its losses and accuracy evaluators expect).
     *
     * <p>With {@code shuffle}, each pass over the dataset (each call of {@code getData}) uses the order
     * {@link #shuffledOrder(long, int) shuffledOrder(seed, epoch)} with the epoch counting up from 0,
     * instead of DJL's {@code RandomSampler}, whose process-wide generator makes runs irreproducible.
     * The last batch may be smaller than {@code batchSize}.
     *
     * @param manager owns the two arrays; they live until it is closed
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public ArrayDataset toDjl(NDManager manager, int batchSize, boolean shuffle, long seed) {
        Objects.requireNonNull(manager, "manager");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + " must be >= 1");
        }
        NDArray data = manager.create(pixels(), new Shape(size, channels, height, width));
        float[] floatLabels = new float[size];
        for (int i = 0; i < size; i++) {
            floatLabels[i] = labels[i];
        }
        NDArray labelArray = manager.create(floatLabels, new Shape(size));
        BatchSampler sampler = shuffle
                ? new BatchSampler(new SeededShuffle(seed), batchSize, false)
                : new BatchSampler(new SequenceSampler(), batchSize, false);
        return new ArrayDataset.Builder().setData(data).optLabels(labelArray).setSampling(sampler).build();
    }

    /** For example {@code mnist/train: 60000 images 1x28x28, 10 classes}. */
    @Override
    public String toString() {
        return name + ": " + size + " images " + channels + "x" + height + "x" + width + ", " + classes + " classes";
    }

    private static int positive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " = " + value + " must be >= 1");
        }
        return value;
    }
}
