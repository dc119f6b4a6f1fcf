package org.prune4j.kernel;

import ai.djl.ndarray.NDArray;

import java.nio.ByteBuffer;

/**
 * One pass over a tensor's magnitudes that counts those at or above a ceiling and copies those in
 * [floor, ceiling) to the host: the order statistics near a known boundary, without a selection over the whole
 * tensor. Requires {@link NativeKernels#usable}.
 */
public final class MagnitudeBand {

    /**
     * What a scan found.
     *
     * @param above  how many |w| are at or above the ceiling
     * @param inBand how many |w| lie in [floor, ceiling); the first {@code min(inBand, band.length)} are in the
     *               caller's array, in no order
     */
    public record Counts(long above, long inBand) {}

    private MagnitudeBand() {}

    /** Scans {@code weight}; {@code band} receives the in-band magnitudes (up to its length). */
    public static Counts scan(NDArray weight, float floor, float ceiling, float[] band) {
        NativeKernels.require(weight);
        long[] counts = new long[2];
        scan(weight.toByteBuffer(true), weight.size(), floor, ceiling, band, counts);
        return new Counts(counts[0], counts[1]);
    }

    private static native void scan(ByteBuffer w, long n, float floor, float ceiling, float[] band, long[] counts);
}
