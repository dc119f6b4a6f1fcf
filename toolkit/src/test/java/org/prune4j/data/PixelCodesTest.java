package org.prune4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class PixelCodesTest {

    /** Two 1x2x2 images after a 3-byte header; the table maps v to v / 10. */
    @Test
    void bytesDecodeThroughTheTableAndRangesMatchTheWhole() {
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            table[v] = v / 10f;
        }
        byte[] bytes = {9, 9, 9, 1, 2, 3, (byte) 200, 5, 6, 7, 8};
        ImageData data = new ImageData("t", 1, 2, 2, 2, new PixelCodes(bytes, 3, new float[][] {table}, 4), new int[] {0, 1});
        assertArrayEquals(new float[] {0.5f, 0.6f, 0.7f, 0.8f}, data.pixels(1, 2));
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 20f, 0.5f, 0.6f, 0.7f, 0.8f}, data.pixels());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 20f}, data.subset(1).pixels());
    }

    /** MNIST as loaded (bytes): any range equals the same range of the whole float array, bit for bit. */
    @Test
    void mnistRangesEqualTheWholeArray() {
        ImageData test = Datasets.mnist().test();
        float[] whole = test.pixels();
        assertEquals(10_000 * 784, whole.length);
        assertArrayEquals(Arrays.copyOfRange(whole, 4_321 * 784, 5_000 * 784), test.pixels(4_321, 5_000));
    }
}
