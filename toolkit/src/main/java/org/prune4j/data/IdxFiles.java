package org.prune4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Parser for the IDX format of MNIST and Fashion-MNIST: a big-endian header (magic number, then one
 * 32-bit size per dimension) followed by unsigned bytes.
 *
 * <p>Only the two shapes those datasets use are accepted: IDX3 images (magic 2051: count, rows,
 * columns) and IDX1 labels (magic 2049: count). Anything else, and any file whose length disagrees
 * with its header, is rejected with a {@link DatasetException} naming the file, because a silently
 * misread file would train on garbage.
 */
final class IdxFiles {
    /** 0x00000803: unsigned-byte data (0x08), three dimensions. */
    static final int IMAGES_MAGIC = 2051;
    /** 0x00000801: unsigned-byte data (0x08), one dimension. */
    static final int LABELS_MAGIC = 2049;

    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;

    private IdxFiles() {
    }

    /**
     * Images of an IDX3 file: {@code count} images of {@code rows x cols} unsigned bytes, row-major,
     * starting at {@code offset} in {@code bytes} (the file's bytes, not copied).
     */
    record Images(int count, int rows, int cols, byte[] bytes, int offset) {
        int pixelsPerImage() {
            return rows * cols;
        }
    }

    static Images readImages(Path file) {
        return parseImages(read(file), file.toString());
    }

    static int[] readLabels(Path file) {
        return parseLabels(read(file), file.toString());
    }

    /** Parses IDX3 images; {@code source} names the file in error messages. */
    static Images parseImages(byte[] bytes, String source) {
        ByteBuffer header = header(bytes, source, IMAGES_HEADER, IMAGES_MAGIC, "IDX3 image");
        int count = dimension(header, source, "image count");
        int rows = dimension(header, source, "row count");
        int cols = dimension(header, source, "column count");
        long expected = IMAGES_HEADER + (long) count * rows * cols;
        checkLength(bytes, source, expected, count + " images of " + rows + "x" + cols);
        return new Images(count, rows, cols, bytes, IMAGES_HEADER);
    }

    /** Parses IDX1 labels as ints in 0..255; {@code source} names the file in error messages. */
    static int[] parseLabels(byte[] bytes, String source) {
        ByteBuffer header = header(bytes, source, LABELS_HEADER, LABELS_MAGIC, "IDX1 label");
        int count = dimension(header, source, "label count");
        checkLength(bytes, source, LABELS_HEADER + (long) count, count + " labels");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = Byte.toUnsignedInt(bytes[LABELS_HEADER + i]);
        }
        return labels;
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e, e);
        }
    }

    private static ByteBuffer header(byte[] bytes, String source, int headerSize, int magic, String kind) {
        // The magic number is checked before the header length: a file of the wrong kind is the more
        // useful diagnosis (an IDX1 label file is shorter than an IDX3 header when it has few labels).
        if (bytes.length >= Integer.BYTES) {
            int actual = ByteBuffer.wrap(bytes, 0, Integer.BYTES).order(ByteOrder.BIG_ENDIAN).getInt();
            if (actual != magic) {
                throw new DatasetException(source + " is not an " + kind + " file: magic number " + actual
                        + String.format(" (0x%08x)", actual) + ", expected " + magic
                        + String.format(" (0x%08x)", magic));
            }
        }
        if (bytes.length < headerSize) {
            throw new DatasetException(source + " is truncated: " + bytes.length + " bytes, shorter than the "
                    + headerSize + "-byte " + kind + " header");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, 0, headerSize).order(ByteOrder.BIG_ENDIAN);
        header.getInt(); // the magic number, checked above
        return header;
    }

    private static int dimension(ByteBuffer header, String source, String what) {
        int value = header.getInt();
        if (value < 0) {
            throw new DatasetException(source + " has a negative " + what + " (" + value + ") in its header");
        }
        return value;
    }

    private static void checkLength(byte[] bytes, String source, long expected, String promise) {
        if (bytes.length < expected) {
            throw new DatasetException(source + " is truncated: its header promises " + promise + " ("
                    + expected + " bytes) but the file has " + bytes.length + " bytes");
        }
        if (bytes.length > expected) {
            throw new DatasetException(source + " is corrupt: its header promises " + promise + " ("
                    + expected + " bytes) but the file has " + bytes.length + " bytes");
        }
    }
}
