package org.prune4j.data;

import java.util.Arrays;

/**
 * Images as the files store them, one byte per pixel, with the table that normalises each channel
 * ({@link PixelScale}). A quarter of the float pixels' size: MNIST's 60,000 training images are 47 MB here
 * against 188 MB as floats, which matters because training copies the floats to the device anyway, so
 * a float copy on the host as well would only double the resident memory.
 *
 * @param bytes         the pixels, NCHW row-major, from {@code offset} on (the rest of the array, such as a
 *                      file header before it, is ignored)
 * @param offset        where the first image's first pixel is
 * @param channelTables one 256-entry table per channel: pixel value v of channel c decodes to {@code channelTables[c][v]}
 * @param plane         pixels per channel of one image (height x width)
 */
record PixelCodes(byte[] bytes, int offset, float[][] channelTables, int plane) {

    /** Pixels per image. */
    int imageSize() {
        return channelTables.length * plane;
    }

    /**
     * The normalised floats of images {@code [from, to)}, written to {@code into} from {@code at} on:
     * exactly the floats a table lookup gives, so every copy decodes to the same bits.
     */
    void decode(int from, int to, float[] into, int at) {
        int size = imageSize();
        int in = offset + from * size;
        int out = at;
        for (int image = from; image < to; image++) {
            for (float[] table : channelTables) {
                for (int p = 0; p < plane; p++) {
                    into[out++] = table[bytes[in++] & 0xff];
                }
            }
        }
    }

    /** The first {@code n} images alone, in a new array. */
    PixelCodes first(int n) {
        return new PixelCodes(Arrays.copyOfRange(bytes, offset, offset + n * imageSize()), 0, channelTables, plane);
    }
}
