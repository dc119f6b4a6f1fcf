package org.prune4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {
    @TempDir
    Path dir;

    /** An IDX3 file: magic, count, rows, cols, then the pixel bytes. */
    static byte[] idx3(int magic, int count, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length).putInt(magic).putInt(count).putInt(rows).putInt(cols)
                .put(pixels).array();
    }

    static byte[] idx1(int magic, int[] labels) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(labels.length);
        for (int label : labels) {
            buffer.put((byte) label);
        }
        return buffer.array();
    }

    @Test
    void parsesImagesBigEndianWithUnsignedPixels() throws IOException {
        byte[] pixels = new byte[3 * 2 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 11);
        }
        pixels[5] = (byte) 255;
        Path file = Files.write(dir.resolve("images"), idx3(2051, 3, 2, 4, pixels));

        IdxFiles.Images images = IdxFiles.readImages(file);

        assertEquals(3, images.count());
        assertEquals(2, images.rows());
        assertEquals(4, images.cols());
        assertEquals(8, images.pixelsPerImage());
        assertEquals(16, images.offset());
        assertEquals(255, images.bytes()[images.offset() + 5] & 0xff);
        assertArrayEquals(pixels, Arrays.copyOfRange(images.bytes(), 16, 16 + pixels.length));
    }

    @Test
    void parsesLabelsAsUnsigned() throws IOException {
        Path file = Files.write(dir.resolve("labels"), idx1(2049, new int[] {7, 0, 9, 200}));
        assertArrayEquals(new int[] {7, 0, 9, 200}, IdxFiles.readLabels(file));
    }

    @Test
    void wrongMagicNamesFileAndBothNumbers() throws IOException {
        Path labelsAsImages = Files.write(dir.resolve("train-images-idx3-ubyte"), idx1(2049, new int[] {1, 2}));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.readImages(labelsAsImages));
        assertTrue(e.getMessage().contains(labelsAsImages.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("magic number 2049"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 2051"), e.getMessage());

        Path imagesAsLabels = Files.write(dir.resolve("l"), idx3(2051, 1, 1, 1, new byte[1]));
        DatasetException e2 = assertThrows(DatasetException.class, () -> IdxFiles.readLabels(imagesAsLabels));
        assertTrue(e2.getMessage().contains("expected 2049"), e2.getMessage());
        assertEquals(1, e2.getMessage().lines().count());
    }

    @Test
    void truncatedBodyIsRejected() throws IOException {
        byte[] whole = idx3(2051, 3, 2, 2, new byte[12]);
        Path file = Files.write(dir.resolve("short"), Arrays.copyOf(whole, whole.length - 1));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.readImages(file));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("3 images of 2x2 (28 bytes)"), e.getMessage());
        assertTrue(e.getMessage().contains("27 bytes"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsRejected() throws IOException {
        Path file = Files.write(dir.resolve("tiny"), new byte[] {0, 0, 8, 3, 0, 0});
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.readImages(file));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("16-byte"), e.getMessage());

        Path labels = Files.write(dir.resolve("labels"), Arrays.copyOf(idx1(2049, new int[] {1, 2, 3}), 10));
        DatasetException e2 = assertThrows(DatasetException.class, () -> IdxFiles.readLabels(labels));
        assertTrue(e2.getMessage().contains("3 labels"), e2.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] whole = idx1(2049, new int[] {1, 2});
        Path file = Files.write(dir.resolve("long"), Arrays.copyOf(whole, whole.length + 3));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFiles.readLabels(file));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }
}
