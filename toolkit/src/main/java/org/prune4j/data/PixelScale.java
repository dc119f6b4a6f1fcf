package org.prune4j.data;

/**
 * Byte-to-float normalisation {@code (v / 255 - mean) / std} as a 256-entry table: one lookup per
 * pixel instead of a division, which keeps converting 47 million MNIST pixels well under 0.1 s.
 */
final class PixelScale {
    private PixelScale() {
    }

    static float[] table(double mean, double std) {
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            table[v] = (float) ((v / 255.0 - mean) / std);
        }
        return table;
    }
}
