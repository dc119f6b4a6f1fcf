package org.prune4j.infer;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits the rows of a sparse product over a small fixed pool of daemon threads plus the caller, only
 * when the product is large enough to repay the hand-off (tens of microseconds on a shared VM).
 *
 * <p>A pool of its own, not the common fork/join pool: its idle threads park at once instead of
 * spinning, so they do not take a core from PyTorch's OpenMP threads when the next layer runs dense.
 * Tuning: {@code -Dprune4j.csrThreads=N} (default: the number of cores; 1 turns splitting off) and
 * {@code -Dprune4j.csrParallelWork=M} (multiply-adds per thread from which rows are split).
 */
final class KernelThreads {

    /** Rows {@code [from, to)} of a product. */
    interface RowRange {
        void run(int from, int to);
    }

    /** Multiply-adds a thread must get before a product is split: about 20 us of kernel time here. */
    static final long PARALLEL_WORK = Math.max(1, Long.getLong("prune4j.csrParallelWork", 1L << 18));

    /** Threads a product may use, the caller included. */
    static final int THREADS = Math.max(1,
            Integer.getInteger("prune4j.csrThreads", Runtime.getRuntime().availableProcessors()));

    private static volatile ExecutorService pool;

    private KernelThreads() {}

    /** The number of threads a product of {@code work} multiply-adds over {@code rows} rows runs on. */
    static int parts(long work, int rows, int threads) {
        return (int) Math.min(Math.min(threads, rows), Math.max(1, work / PARALLEL_WORK));
    }

    /**
     * Runs {@code range} over all rows on at most {@code threads} threads: on the caller alone, or split into
     * parts of about equal nonzeros when {@code work} (multiply-adds) is at least twice {@link #PARALLEL_WORK}.
     */
    static void forRows(long work, int[] rowStart, RowRange range, int threads) {
        int rows = rowStart.length - 1;
        int parts = parts(work, rows, threads);
        if (parts <= 1) {
            range.run(0, rows);
            return;
        }
        int[] bounds = split(rowStart, parts);
        Future<?>[] others = new Future<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int from = bounds[p];
            int to = bounds[p + 1];
            others[p - 1] = pool().submit(() -> range.run(from, to));
        }
        range.run(bounds[0], bounds[1]);
        for (Future<?> other : others) {
            try {
                other.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a sparse product", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a sparse product failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /** Row bounds of {@code parts} consecutive slices holding about equal numbers of nonzeros. */
    static int[] split(int[] rowStart, int parts) {
        int rows = rowStart.length - 1;
        long nonzeros = rowStart[rows];
        int[] bounds = new int[parts + 1];
        for (int p = 1; p < parts; p++) {
            int target = (int) (nonzeros * p / parts);
            int row = Arrays.binarySearch(rowStart, 0, rows + 1, target);
            if (row < 0) {
                row = -row - 1;
            }
            // Equal row starts (empty rows) make binarySearch land anywhere among them; any is fine.
            bounds[p] = Math.max(bounds[p - 1], Math.min(row, rows));
        }
        bounds[parts] = rows;
        return bounds;
    }

    private static ExecutorService pool() {
        ExecutorService current = pool;
        if (current == null) {
            synchronized (KernelThreads.class) {
                current = pool;
                if (current == null) {
                    int[] count = {0};
                    current = Executors.newFixedThreadPool(Math.max(1, THREADS - 1), task -> {
                        Thread thread = new Thread(task, "prune4j-csr-" + count[0]++);
                        thread.setDaemon(true);
                        return thread;
                    });
                    pool = current;
                }
            }
        }
        return current;
    }
}
