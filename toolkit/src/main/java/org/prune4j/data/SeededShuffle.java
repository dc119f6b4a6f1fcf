package org.prune4j.data;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;

/**
 * Deterministic shuffling: one permutation per (seed, epoch).
 *
 * <p>DJL's own {@code RandomSampler} draws from a process-wide random generator, so two runs with
 * the same seed see different batch orders whenever anything else in the JVM consumed random
 * numbers. This sampler derives each epoch's order from the seed and the epoch number only, so a
 * run is reproducible and the toolkit's trainer (which calls {@link #order}) and plain DJL users
 * (who get this sampler from {@link ImageData#toDjl}) see the same orders.
 */
final class SeededShuffle implements Sampler.SubSampler {
    private final long seed;
    private int epoch;

    SeededShuffle(long seed) {
        this.seed = seed;
    }

    /**
     * A permutation of {@code 0..n-1}: Fisher–Yates driven by {@code new Random(seed * 1_000_003 + epoch)}.
     * The multiplier (a prime) keeps (seed, epoch) and (seed + 1, epoch - 1) from sharing a stream.
     */
    static int[] order(int n, long seed, int epoch) {
        if (n < 0) {
            throw new IllegalArgumentException("n = " + n + " must be >= 0");
        }
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        Random random = new Random(seed * 1_000_003L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Each call is one pass over the data (DJL calls it once per epoch), so the epoch advances. */
    @Override
    public synchronized Iterator<Long> sample(RandomAccessDataset dataset) {
        int[] order = order(Math.toIntExact(dataset.size()), seed, epoch++);
        return Arrays.stream(order).mapToLong(i -> i).boxed().iterator();
    }
}
