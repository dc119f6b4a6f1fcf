package org.prune4j.bench;

import java.util.List;

/**
 * Runs several timed variants side by side, in interleaved blocks, so that their ratios survive a noisy
 * machine: this VM's speed drifts by 2x and more within minutes when other processes run, so every
 * variant gets its share of each block, in chunks, taking turns in A B C, C B A order (a burst of load
 * from elsewhere lands on all of them about equally). Each block then gives one ratio per pair, and the
 * benchmarks report the median over the blocks.
 *
 * <p>Timing: wall time around each chunk; a variant syncs its device itself at the end of a chunk
 * (never per unit), and returns the time it spent on work timed on its own (a mask update between
 * steps), which is left out of its chunk.
 */
final class SideBySide {

    /** One variant: runs a number of units of work (steps, prunings) and syncs its device at the end. */
    @FunctionalInterface
    interface Variant {
        /**
         * Runs {@code units} units of work.
         *
         * @return nanoseconds of that work that were timed on their own and must be left out
         */
        long run(int units);

        /** Called after each block, for figures a variant keeps per block (the updates it timed). */
        default void endBlock() {}
    }

    private SideBySide() {}

    /**
     * Times the variants over {@code blocks} blocks of {@code unitsPerBlock} units each, interleaved in
     * chunks of {@code chunkUnits}: forward order in even chunks, reverse order in odd ones (counted over the
     * whole run, so that one chunk per block alternates too).
     *
     * @return nanoseconds per unit, indexed [variant][block]
     */
    static double[][] nanosPerUnit(List<? extends Variant> variants, int blocks, int unitsPerBlock, int chunkUnits) {
        if (blocks < 1 || unitsPerBlock < 1 || chunkUnits < 1) {
            throw new IllegalArgumentException("blocks " + blocks + ", units per block " + unitsPerBlock
                    + " and chunk " + chunkUnits + " must all be at least 1");
        }
        int count = variants.size();
        double[][] perUnit = new double[count][blocks];
        // Chunks are counted across blocks: with one chunk per block the order must still reverse.
        int chunk = 0;
        for (int block = 0; block < blocks; block++) {
            long[] nanos = new long[count];
            for (int done = 0; done < unitsPerBlock; done += chunkUnits, chunk++) {
                int units = Math.min(chunkUnits, unitsPerBlock - done);
                for (int turn = 0; turn < count; turn++) {
                    int v = chunk % 2 == 0 ? turn : count - 1 - turn;
                    long start = System.nanoTime();
                    long excluded = variants.get(v).run(units);
                    nanos[v] += System.nanoTime() - start - excluded;
                }
            }
            for (int v = 0; v < count; v++) {
                perUnit[v][block] = (double) nanos[v] / unitsPerBlock;
                variants.get(v).endBlock();
            }
        }
        return perUnit;
    }

    /** Element-wise {@code a[i] / b[i]}: the ratio of two variants, per block. */
    static double[] ratio(double[] a, double[] b) {
        double[] ratio = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            ratio[i] = a[i] / b[i];
        }
        return ratio;
    }

    /** Element-wise {@code a[i] / b[i] - 1}: the overhead of a over b, per block. */
    static double[] overhead(double[] a, double[] b) {
        double[] overhead = ratio(a, b);
        for (int i = 0; i < overhead.length; i++) {
            overhead[i] -= 1;
        }
        return overhead;
    }
}
