package org.prune4j.method;

import java.util.Random;

/**
 * A {@link Random} whose state can be read and set, so that a checkpoint can carry it: the exact sequence
 * of {@code new Random(seed)} (the same 48-bit linear congruential generator, the same scrambling of the
 * seed, the same Gaussian pairs), with {@link #state()} and {@link #restore(long[])}.
 *
 * <p>Why not {@code Random} itself: its state is private (reading it needs reflection into
 * {@code java.base}, refused since Java 16), and Java serialization is a format this toolkit does not
 * write. Every {@code Random} method draws through {@link #next(int)} and {@link #nextGaussian()}, both
 * overridden here, so the sequence is {@code Random}'s own and runs made before checkpoints existed keep
 * their masks.
 */
public final class ResumableRandom extends Random {

    private static final long serialVersionUID = 1L;
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;

    // No initialisers: Random's constructor calls setSeed before this class's field initialisers would run.
    private long seed;
    private boolean haveNextNextGaussian;
    private double nextNextGaussian;

    /** The sequence of {@code new Random(seed)}. */
    public ResumableRandom(long seed) {
        super(seed);
    }

    @Override
    public synchronized void setSeed(long seed) {
        this.seed = (seed ^ MULTIPLIER) & MASK;
        this.haveNextNextGaussian = false;
    }

    @Override
    protected synchronized int next(int bits) {
        seed = (seed * MULTIPLIER + ADDEND) & MASK;
        return (int) (seed >>> (48 - bits));
    }

    /** The polar method, as {@link Random#nextGaussian()}, with the spare value kept in this class's state. */
    @Override
    public synchronized double nextGaussian() {
        if (haveNextNextGaussian) {
            haveNextNextGaussian = false;
            return nextNextGaussian;
        }
        double v1;
        double v2;
        double s;
        do {
            v1 = 2 * nextDouble() - 1;
            v2 = 2 * nextDouble() - 1;
            s = v1 * v1 + v2 * v2;
        } while (s >= 1 || s == 0);
        double multiplier = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        nextNextGaussian = v2 * multiplier;
        haveNextNextGaussian = true;
        return v1 * multiplier;
    }

    /** The whole state: the 48-bit seed, whether a spare Gaussian is held (0 or 1), and its bits. */
    public synchronized long[] state() {
        return new long[] {seed, haveNextNextGaussian ? 1 : 0, Double.doubleToRawLongBits(nextNextGaussian)};
    }

    /**
     * Continues from a state read by {@link #state()}.
     *
     * @throws IllegalArgumentException if it is not three numbers with a 48-bit seed and a 0/1 flag
     */
    public synchronized void restore(long[] state) {
        if (state == null || state.length != 3 || (state[0] & ~MASK) != 0 || (state[1] != 0 && state[1] != 1)) {
            throw new IllegalArgumentException("random state " + java.util.Arrays.toString(state)
                    + " is not [48-bit seed, 0|1, gaussian bits]");
        }
        seed = state[0];
        haveNextNextGaussian = state[1] == 1;
        nextNextGaussian = Double.longBitsToDouble(state[2]);
    }
}
