package org.prune4j.infer;

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
 * sparse(nnz, batch)        = nnz * (sparseNsPerNonzero + sparseNsPerNonzeroExample * batch)
 * dense(rows, cols, batch)  = denseNsPerCall + rows * cols * (denseNsPerWeight + denseNsPerWeightExample * batch)
 * </pre>
 *
 * Sparse wins below the crossover density {@code dense(rows, cols, batch) / (rows * cols * sparse(1, batch))}.
 * Why it moves with the batch: at batch 1 the dense product reads each weight once and is bound by memory,
 * so skipping 80% of them pays; at batch 64 PyTorch's blocked GEMM reuses each weight 64 times at a far
 * higher rate than a sparse kernel can, and sparse pays only at much higher sparsity. The constants differ
 * per machine (cores, vector width, BLAS), so {@link #measured()} calibrates them once per JVM.
 *
 * @param sparseNsPerNonzero        sparse cost per stored weight and call (index and value loads)
 * @param sparseNsPerNonzeroExample sparse cost per stored weight and example (the multiply-adds)
 * @param denseNsPerCall            dense cost of one layer call (host copies in and out, PyTorch dispatch)
 * @param denseNsPerWeight          dense cost per weight and call
 * @param denseNsPerWeightExample   dense cost per weight and example
 */
public record InferenceCostModel(double sparseNsPerNonzero, double sparseNsPerNonzeroExample,
                                 double denseNsPerCall, double denseNsPerWeight, double denseNsPerWeightExample) {

    /** Validates that every constant is finite and at least 0, and that sparse work costs something. */
    public InferenceCostModel {
        double[] all = {sparseNsPerNonzero, sparseNsPerNonzeroExample, denseNsPerCall, denseNsPerWeight,
            denseNsPerWeightExample};
        for (double value : all) {
            if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("cost " + value + " ns is outside [0, infinity): " + Arrays.toString(all));
            }
        }
        if (sparseNsPerNonzero + sparseNsPerNonzeroExample == 0) {
            throw new IllegalArgumentException("sparse costs are both 0: expected a positive cost per nonzero");
        }
    }

    /** Nanoseconds of the sparse product of {@code nonzeros} stored weights over {@code batch} examples. */
    public double sparseNs(long nonzeros, int batch) {
        return nonzeros * (sparseNsPerNonzero + sparseNsPerNonzeroExample * batch);
    }

    /** Nanoseconds of the dense product of a {@code rows x cols} weight over {@code batch} examples. */
    public double denseNs(long rows, long cols, int batch) {
        return denseNsPerCall + (double) rows * cols * (denseNsPerWeight + denseNsPerWeightExample * batch);
    }

    /** Whether a {@code rows x cols} weight with {@code nonzeros} stored weights runs faster sparse. */
    public boolean sparseWins(long rows, long cols, long nonzeros, int batch) {
        return sparseNs(nonzeros, batch) < denseNs(rows, cols, batch);
    }

    /** The density below which a {@code rows x cols} weight runs faster sparse, capped at 1. */
    public double crossoverDensity(long rows, long cols, int batch) {
        return Math.min(1.0, denseNs(rows, cols, batch) / ((double) rows * cols * sparseNs(1, batch)));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "sparse %.3f + %.4f*batch ns/nonzero; dense %.0f ns/call + %.4f + %.5f*batch ns/weight",
                sparseNsPerNonzero, sparseNsPerNonzeroExample, denseNsPerCall, denseNsPerWeight, denseNsPerWeightExample);
    }

    private static final class Measured {
        static final InferenceCostModel MODEL = calibrate();
    }

    /** This machine's model, calibrated by {@link #calibrate()} on first use and then kept for the JVM. */
    public static InferenceCostModel measured() {
        return Measured.MODEL;
    }

    /**
     * Measures both paths on a synthetic 1024 x 1024 layer at 5% density (batches 1 and 64) and a 16 x 16
     * one (the dense per-call cost), interleaved, fastest of 15 after warm-up: about 0.1 s. Both paths run
     * exactly the code {@link SparseInference} runs, on the threads it uses. The fastest, not the median:
     * on a machine shared with other work, load slows PyTorch's two OpenMP threads far more than one Java
     * thread (one core taken stalls its barrier), and the fastest run is the one load disturbed least.
     */
    public static InferenceCostModel calibrate() {
        int size = 1024;
        int small = 16;
        Random random = new Random(11);
        float[] weights = new float[size * size];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextFloat() < 0.05f ? random.nextFloat() - 0.5f : 0f;
        }
        CsrMatrix csr = CsrMatrix.of(weights, size, size);
        float[] one = new float[size];
        float[][] columns = new float[size][64];
        float[][] outputs = new float[size][64];
        float[] flat = new float[size * 64];
        for (int i = 0; i < size; i++) {
            one[i] = random.nextFloat();
            for (int b = 0; b < 64; b++) {
                columns[i][b] = random.nextFloat();
                flat[i * 64 + b] = columns[i][b];
            }
        }
        float[] smallInput = Arrays.copyOf(one, small);
        int repeats = 15;
        double[][] ns = new double[5][repeats];
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(weights, new Shape(size, size));
            NDArray smallWeight = manager.create(Arrays.copyOf(weights, small * small), new Shape(small, small));
            Runnable[] runs = {
                () -> csr.multiply(one, null),
                () -> csr.multiply(columns, null, outputs),
                () -> DenseLayer.apply(manager, smallWeight, null, smallInput, small, 1),
                () -> DenseLayer.apply(manager, weight, null, one, size, 1),
                () -> DenseLayer.apply(manager, weight, null, flat, size, 64),
            };
            for (int warmUp = 0; warmUp < 10; warmUp++) {
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
        double sparsePerExample = Math.max(0, (sparse64 - sparse1) / 63);
        double call = fastest(ns[2]);
        double weightsPerLayer = (double) size * size;
        double dense1 = Math.max(0, fastest(ns[3]) - call) / weightsPerLayer;
        double dense64 = Math.max(0, fastest(ns[4]) - call) / weightsPerLayer;
        double densePerExample = Math.max(0, (dense64 - dense1) / 63);
        return new InferenceCostModel(Math.max(0, sparse1 - sparsePerExample), sparsePerExample, call,
                Math.max(0, dense1 - densePerExample), densePerExample);
    }

    private static double fastest(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }
}
