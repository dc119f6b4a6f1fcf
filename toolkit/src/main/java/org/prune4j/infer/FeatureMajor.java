package org.prune4j.infer;

/**
 * Conversions between batch-major activations ({@code x[example * width + feature]}, as DJL holds them)
 * and the feature-major arrays of arrays the sparse kernel wants ({@code x[feature][example]}).
 */
final class FeatureMajor {

    private FeatureMajor() {}

    /**
     * Writes batch-major floats into feature-major arrays ({@code x.length} features, each as long as the
     * batch). Eight features at a time: each example's eight adjacent floats are read together and written
     * to eight arrays in step, which measured twice as fast as a cache-tiled element-wise transpose here
     * (12 against 25 us for 64 x 784).
     */
    static void transpose(float[] batchMajor, float[][] x) {
        int width = x.length;
        int batch = x[0].length;
        int f = 0;
        for (; f + 7 < width; f += 8) {
            float[] a0 = x[f];
            float[] a1 = x[f + 1];
            float[] a2 = x[f + 2];
            float[] a3 = x[f + 3];
            float[] a4 = x[f + 4];
            float[] a5 = x[f + 5];
            float[] a6 = x[f + 6];
            float[] a7 = x[f + 7];
            for (int e = 0; e < batch; e++) {
                int p = e * width + f;
                a0[e] = batchMajor[p];
                a1[e] = batchMajor[p + 1];
                a2[e] = batchMajor[p + 2];
                a3[e] = batchMajor[p + 3];
                a4[e] = batchMajor[p + 4];
                a5[e] = batchMajor[p + 5];
                a6[e] = batchMajor[p + 6];
                a7[e] = batchMajor[p + 7];
            }
        }
        for (; f < width; f++) {
            float[] feature = x[f];
            for (int e = 0; e < batch; e++) {
                feature[e] = batchMajor[e * width + f];
            }
        }
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

    /** A flat feature-major array copied into feature-major arrays ({@code x.length} features). */
    static void split(float[] flat, float[][] x) {
        int batch = x[0].length;
        for (int f = 0; f < x.length; f++) {
            System.arraycopy(flat, f * batch, x[f], 0, batch);
        }
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
