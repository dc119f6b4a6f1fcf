package org.prune4j;

import ai.djl.ndarray.NDArray;

/** Raw float bits of a tensor, for tests that must tell -0.0 from +0.0 and one NaN from another. */
public final class FloatBits {

    private FloatBits() {}

    /** {@link Float#floatToRawIntBits} of every value, in order. */
    public static int[] of(NDArray array) {
        float[] values = array.toFloatArray();
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
