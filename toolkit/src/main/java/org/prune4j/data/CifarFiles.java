package org.prune4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader for the official CIFAR-10 binary version ({@code cifar-10-binary.tar.gz}): each record is
 * one label byte followed by 3072 pixel bytes, the 1024 red, then 1024 green, then 1024 blue values
 * of a 32x32 image in row-major order.
 *
 * <p>That record layout is already channel-planar, so a record maps onto NCHW without reordering.
 */
final class CifarFiles {
    static final int CHANNELS = 3;
    static final int SIDE = 32;
    static final int CLASSES = 10;
    static final int PLANE = SIDE * SIDE;
    static final int IMAGE = CHANNELS * PLANE;
    static final int RECORD = 1 + IMAGE;

    /**
     * Per-channel mean and standard deviation of the CIFAR-10 training pixels after dividing by 255
     * (R, G, B). These are the true standard deviations; the often-copied (0.2023, 0.1994, 0.2010)
     * are a miscomputed variant.
     */
    static final double[] MEAN = {0.4914, 0.4822, 0.4465};
    static final double[] STD = {0.2470, 0.2435, 0.2616};

    private CifarFiles() {
    }

    /**
     * Reads and concatenates batch files.
     *
     * @param fix what to tell the user when a file is missing or malformed (e.g. how to download it)
     */
    static ImageData read(List<Path> files, String name, String fix) {
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new DatasetException("CIFAR-10 file " + file + " is missing: " + fix);
            }
            byte[] bytes = IdxFiles.read(file);
            if (bytes.length == 0 || bytes.length % RECORD != 0) {
                throw new DatasetException("CIFAR-10 file " + file + " is corrupt: " + bytes.length
                        + " bytes is not a positive multiple of the " + RECORD + "-byte record: " + fix);
            }
            contents.add(bytes);
            records += bytes.length / RECORD;
        }
        int size = Math.toIntExact(records);
        float[][] tables = new float[CHANNELS][];
        for (int c = 0; c < CHANNELS; c++) {
            tables[c] = PixelScale.table(MEAN[c], STD[c]);
        }
        byte[] pixels = new byte[Math.multiplyExact(size, IMAGE)];
        int[] labels = new int[size];
        int n = 0;
        for (int f = 0; f < contents.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int offset = 0; offset < bytes.length; offset += RECORD, n++) {
                int label = Byte.toUnsignedInt(bytes[offset]);
                if (label >= CLASSES) {
                    throw new DatasetException("CIFAR-10 file " + files.get(f) + " is corrupt: record "
                            + (offset / RECORD) + " has label " + label + ", expected 0..9: " + fix);
                }
                labels[n] = label;
                int out = n * IMAGE;
                // The record without its label byte: the planes R, G, B as the image's NCHW bytes.
                System.arraycopy(bytes, offset + 1, pixels, out, IMAGE);
            }
        }
        return new ImageData(name, CHANNELS, SIDE, SIDE, CLASSES, new PixelCodes(pixels, 0, tables, PLANE), labels);
    }
}
