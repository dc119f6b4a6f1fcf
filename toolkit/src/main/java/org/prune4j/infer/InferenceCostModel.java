package org.prune4j.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * How long one Linear layer takes on each path, from its shape, its nonzeros and the batch, in
 * nanoseconds; {@link SparseInference} runs a layer sparse when that is the cheaper path.
 *
 * <pre>
 * sparse(nnz, batch)        = nnz * (sparseNsPerNonzero + sparseNsPerNonzeroExample * batch) / speed-up(threads)
 * dense(rows, cols, batch)  = denseNsPerCall + rows * cols * (denseNsPerWeight + denseNsPerWeightExample * batch)
 * </pre>
 *
 * where speed-up(threads) is 1 on one thread and {@code sparseParallelSpeedup} when the product is large
 * enough to be split over all of {@link KernelThreads} (linear in between). Sparse wins below the crossover
 * density {@code dense(rows, cols, batch) / sparse(rows * cols, batch)}. Why it moves with the batch: at
 * batch 1 the dense product reads each weight once and is bound by memory, so skipping half of them already
 * pays; at batch 64 PyTorch's blocked GEMM reuses each weight 64 times at a far higher rate than a sparse
 * kernel can, and sparse pays only from about 85-90% sparsity. The constants differ per machine (cores,
 * vector width, caches, BLAS), so {@link #measured()} calibrates them once per JVM.
 *
 * @param sparseNsPerNonzero        sparse cost per stored weight and call on one thread (index and value loads)
 * @param sparseNsPerNonzeroExample sparse cost per stored weight and example on one thread (the multiply-adds)
 * @param sparseParallelSpeedup     how much faster a product split over all kernel threads runs (1 or more)
 * @param denseNsPerCall            dense cost of one layer call (host copies in and out, PyTorch dispatch)
 * @param denseNsPerWeight          dense cost per weight and call
 * @param denseNsPerWeightExample   dense cost per weight and example
 */
public record InferenceCostModel(double sparseNsPerNonzero, double sparseNsPerNonzeroExample,
                                 double sparseParallelSpeedup, double denseNsPerCall, double denseNsPerWeight,
                                 double denseNsPerWeightExample) {

    /** Validates that every constant is finite and at least 0, sparse work costs something, and the speed-up is >= 1. */
    public InferenceCostModel {
        double[] all = {sparseNsPerNonzero, sparseNsPerNonzeroExample, sparseParallelSpeedup, denseNsPerCall,
            denseNsPerWeight, denseNsPerWeightExample};
        for (double value : all) {
            if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("cost " + value + " is outside [0, infinity): " + Arrays.toString(all));
            }
        }
        if (sparseNsPerNonzero + sparseNsPerNonzeroExample == 0) {
            throw new IllegalArgumentException("sparse costs are both 0: expected a positive cost per nonzero");
        }
        if (sparseParallelSpeedup < 1) {
            throw new IllegalArgumentException("sparse parallel speed-up " + sparseParallelSpeedup + " is below 1");
        }
    }

    /** Nanoseconds of the sparse product of {@code nonzeros} stored weights over {@code batch} examples. */
    public double sparseNs(long nonzeros, int batch) {
        double serial = nonzeros * (sparseNsPerNonzero + sparseNsPerNonzeroExample * batch);
        int threads = KernelThreads.THREADS;
        int parts = KernelThreads.parts((long) nonzeros * batch, Integer.MAX_VALUE, threads);
        double speedup = threads == 1 ? 1 : 1 + (sparseParallelSpeedup - 1) * (parts - 1) / (threads - 1);
        return serial / speedup;
    }

    /** Nanoseconds of the dense product of a {@code rows x cols} weight over {@code batch} examples. */
    public double denseNs(long rows, long cols, int batch) {
        return denseNsPerCall + (double) rows * cols * (denseNsPerWeight + denseNsPerWeightExample * batch);
    }

    /** Whether a {@code rows x cols} weight with {@code nonzeros} stored weights runs faster sparse. */
    public boolean sparseWins(long rows, long cols, long nonzeros, int batch) {
        return sparseNs(nonzeros, batch) < denseNs(rows, cols, batch);
    }

    /**
     * The density below which a {@code rows x cols} weight runs faster sparse, capped at 1 (to 0.001:
     * found by bisection, as the thread split makes the sparse cost piecewise in the nonzeros).
     */
    public double crossoverDensity(long rows, long cols, int batch) {
        long weights = rows * cols;
        if (sparseWins(rows, cols, weights, batch)) {
            return 1.0;
        }
        double low = 0;
        double high = 1;
        while (high - low > 1e-3) {
            double middle = (low + high) / 2;
            if (sparseWins(rows, cols, Math.round(middle * weights), batch)) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return low;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "sparse (%.3f + %.4f*batch ns/nonzero)/%.2f on %d threads; dense %.0f ns/call "
                + "+ (%.4f + %.5f*batch) ns/weight", sparseNsPerNonzero, sparseNsPerNonzeroExample, sparseParallelSpeedup,
                KernelThreads.THREADS, denseNsPerCall, denseNsPerWeight, denseNsPerWeightExample);
    }

    private static final class Measured {
        static final InferenceCostModel MODEL = calibrate();
    }

    /** This machine's model, calibrated by {@link #calibrate()} on first use and then kept for the JVM. */
    public static InferenceCostModel measured() {
        return Measured.MODEL;
    }

    /**
     * Measures both paths on a synthetic 2048 x 2048 layer (16 MB dense, larger than a core's L2 cache, as
     * the layers where the choice matters are) at batches 1 and 64, the sparse one at 5% density on one
     * thread and, at batch 64, on all kernel threads, interleaved, fastest of 11 after 4 warm-ups; and a
     * 16 x 16 layer for the dense per-call cost, fastest of 50: about 0.3 s on 2 cores. Both paths run exactly the code
     * {@link SparseInference} runs. The fastest, not the median: on a machine shared with other work, load
     * slows PyTorch's two OpenMP threads far more than one Java thread (one core taken stalls their barrier),
     * and the fastest run is the one load disturbed least.
     */
    public static InferenceCostModel calibrate() {
        int size = 2048;
        int small = 16;
        int batch = 64;
        Random random = new Random(11);
        float[] weights = new float[size * size];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextFloat() < 0.05f ? random.nextFloat() - 0.5f : 0f;
        }
        CsrMatrix csr = CsrMatrix.of(weights, size, size);
        for (int i = 0; i < weights.length; i++) {
            // The dense layer gets every weight (timing does not depend on the values, only on their count).
            weights[i] = weights[i] == 0f ? random.nextFloat() - 0.5f : weights[i];
        }
        float[] one = new float[size];
        float[][] columns = new float[size][batch];
        float[][] outputs = new float[size][batch];
        float[] flat = new float[size * batch];
        for (int i = 0; i < size; i++) {
            one[i] = random.nextFloat();
            for (int b = 0; b < batch; b++) {
                columns[i][b] = random.nextFloat();
                flat[i * batch + b] = columns[i][b];
            }
        }
        float[] smallInput = Arrays.copyOf(one, small);
        int repeats = 11;
        double[][] ns = new double[5][repeats];
        double[] calls = new double[50];
        // The CPU's costs, which the plan is for, even where the engine's default device is a GPU.
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray weight = manager.create(weights, new Shape(size, size));
            NDArray smallWeight = manager.create(Arrays.copyOf(weights, small * small), new Shape(small, small));
            // The per-call cost on its own: right after a large product it reads several times higher
            // (PyTorch's OpenMP threads still spinning), which a dense layer after a sparse one never sees.
            for (int i = 0; i < calls.length; i++) {
                long start = System.nanoTime();
                DenseLayer.apply(manager, smallWeight, null, smallInput, small, 1);
                calls[i] = System.nanoTime() - start;
            }
            Runnable[] runs = {
                () -> csr.multiply(one, null, 1),
                () -> csr.multiply(columns, null, outputs, 1),
                () -> csr.multiply(columns, null, outputs),
                () -> DenseLayer.apply(manager, weight, null, one, size, 1),
                () -> DenseLayer.apply(manager, weight, null, flat, size, batch),
            };
            for (int warmUp = 0; warmUp < 4; warmUp++) {
                for (Runnable run : runs) {
                    run.run();
                }
            }
            for (int i = 0; i < repeats; i++) {
                for (int j = 0; j < runs.length; j++) {
                    int r = (i & 1) == 0 ? j : runs.length - 1 - j;
                    long start = System.nanoTime();
                    runs[r].run();
                    ns[r][i] = System.nanoTime() - start;
                }
            }
        }
        double nonzeros = csr.nonzeros();
        double sparse1 = fastest(ns[0]) / nonzeros;
        double sparse64 = fastest(ns[1]) / nonzeros;
        double sparsePerExample = Math.max(0, (sparse64 - sparse1) / (batch - 1));
        double speedup = KernelThreads.THREADS == 1 ? 1
                : Math.min(KernelThreads.THREADS, Math.max(1, fastest(ns[1]) / fastest(ns[2])));
        double call = fastest(calls);
        double weightsPerLayer = (double) size * size;
        double dense1 = Math.max(0, fastest(ns[3]) - call) / weightsPerLayer;
        double dense64 = Math.max(0, fastest(ns[4]) - call) / weightsPerLayer;
        double densePerExample = Math.max(0, (dense64 - dense1) / (batch - 1));
        return new InferenceCostModel(Math.max(0, sparse1 - sparsePerExample), sparsePerExample, speedup, call,
                Math.max(0, dense1 - densePerExample), densePerExample);
    }

    private static double fastest(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }
}
