package org.prune4j.infer;

/**
 * Conversions between batch-major activations ({@code x[example * width + feature]}, as DJL holds them)
 * and the feature-major arrays of arrays the sparse kernel wants ({@code x[feature][example]}).
 */
final class FeatureMajor {

    /** Examples per tile of the transpose: 16 floats of each feature are one 64-byte cache line. */
    private static final int TILE = 16;

    private FeatureMajor() {}

    /** Batch-major {@code batch x width} floats as {@code width} arrays of {@code batch}. */
    static float[][] of(float[] batchMajor, int batch) {
        int width = batchMajor.length / batch;
        float[][] x = new float[width][batch];
        // Tiled over examples so that the lines written in each feature's array stay in cache.
        for (int from = 0; from < batch; from += TILE) {
            int to = Math.min(batch, from + TILE);
            for (int f = 0; f < width; f++) {
                float[] feature = x[f];
                for (int e = from; e < to; e++) {
                    feature[e] = batchMajor[e * width + f];
                }
            }
        }
        return x;
    }

    /** Feature-major arrays as one flat feature-major array ({@code x[feature * batch + example]}). */
    static float[] flatten(float[][] x) {
        int batch = x[0].length;
        float[] flat = new float[x.length * batch];
        for (int f = 0; f < x.length; f++) {
            System.arraycopy(x[f], 0, flat, f * batch, batch);
        }
        return flat;
    }

    /** A flat feature-major array of {@code width} features as arrays of {@code batch}. */
    static float[][] split(float[] flat, int width, int batch) {
        float[][] x = new float[width][];
        for (int f = 0; f < width; f++) {
            x[f] = java.util.Arrays.copyOfRange(flat, f * batch, (f + 1) * batch);
        }
        return x;
    }

    /** Feature-major arrays back to batch-major floats. */
    static float[] toBatchMajor(float[][] x) {
        int width = x.length;
        int batch = x[0].length;
        float[] out = new float[batch * width];
        for (int f = 0; f < width; f++) {
            float[] feature = x[f];
            for (int e = 0; e < batch; e++) {
                out[e * width + f] = feature[e];
            }
        }
        return out;
    }
}
