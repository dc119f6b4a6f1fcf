package org.prune4j.infer;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * A float32 matrix in compressed sparse rows, with the one product inference needs: {@code Y = W X + b}
 * where X and Y are feature-major ({@code x[i * batch + b]}), so the inner loop runs over the batch,
 * contiguous, and the JIT vectorises it. Rows are split over the common pool when the work is large.
 */
public final class CsrMatrix {

    /**
     * Multiply-adds from which the rows are split over the common pool; off by default: on 2 cores the pool
     * threads fight PyTorch's OpenMP threads of the dense layers (measured: dense batch-64 forwards 100x slower).
     */
    static final long PARALLEL_WORK = Long.getLong("prune4j.csrParallelWork", Long.MAX_VALUE);

    private final int rows;
    private final int cols;
    private final int[] rowStart;
    private final int[] columns;
    private final float[] values;

    private CsrMatrix(int rows, int cols, int[] rowStart, int[] columns, float[] values) {
        this.rows = rows;
        this.cols = cols;
        this.rowStart = rowStart;
        this.columns = columns;
        this.values = values;
    }

    /** The nonzeros of a row-major {@code rows x cols} matrix (zeros of either sign are dropped). */
    public static CsrMatrix of(float[] dense, int rows, int cols) {
        if ((long) rows * cols != dense.length) {
            throw new IllegalArgumentException(dense.length + " values for a " + rows + "x" + cols + " matrix");
        }
        int nonzeros = 0;
        for (float value : dense) {
            if (value != 0f) {
                nonzeros++;
            }
        }
        int[] rowStart = new int[rows + 1];
        int[] columns = new int[nonzeros];
        float[] values = new float[nonzeros];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            rowStart[r] = k;
            for (int c = 0; c < cols; c++) {
                float value = dense[r * cols + c];
                if (value != 0f) {
                    columns[k] = c;
                    values[k++] = value;
                }
            }
        }
        rowStart[rows] = k;
        return new CsrMatrix(rows, cols, rowStart, columns, values);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int nonzeros() {
        return values.length;
    }

    /**
     * {@code y = W x + bias} for a feature-major batch: x has {@code cols * batch} values, the result
     * {@code rows * batch}. {@code bias} may be null.
     */
    public float[] multiply(float[] x, int batch, float[] bias) {
        if (x.length != cols * batch) {
            throw new IllegalArgumentException(x.length + " inputs for " + cols + " features x batch " + batch);
        }
        float[] y = new float[rows * batch];
        if ((long) values.length * batch < PARALLEL_WORK || rows < 2) {
            rowRange(x, batch, bias, y, 0, rows);
        } else {
            int parts = Math.min(rows, 2 * ForkJoinPool.getCommonPoolParallelism() + 2);
            ForkJoinPool.commonPool().invoke(new Rows(x, batch, bias, y, 0, rows, Math.max(1, rows / parts)));
        }
        return y;
    }

    private void rowRange(float[] x, int batch, float[] bias, float[] y, int from, int to) {
        if (batch == 1) {
            for (int r = from; r < to; r++) {
                float sum = bias == null ? 0f : bias[r];
                for (int k = rowStart[r]; k < rowStart[r + 1]; k++) {
                    sum += values[k] * x[columns[k]];
                }
                y[r] = sum;
            }
            return;
        }
        for (int r = from; r < to; r++) {
            int out = r * batch;
            if (bias != null) {
                java.util.Arrays.fill(y, out, out + batch, bias[r]);
            }
            for (int k = rowStart[r]; k < rowStart[r + 1]; k++) {
                float w = values[k];
                int in = columns[k] * batch;
                for (int b = 0; b < batch; b++) {
                    y[out + b] += w * x[in + b];
                }
            }
        }
    }

    private final class Rows extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final float[] x;
        private final int batch;
        private final float[] bias;
        private final float[] y;
        private final int from;
        private final int to;
        private final int grain;

        Rows(float[] x, int batch, float[] bias, float[] y, int from, int to, int grain) {
            this.x = x;
            this.batch = batch;
            this.bias = bias;
            this.y = y;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                rowRange(x, batch, bias, y, from, to);
                return;
            }
            int middle = (from + to) >>> 1;
            invokeAll(new Rows(x, batch, bias, y, from, middle, grain), new Rows(x, batch, bias, y, middle, to, grain));
        }
    }
}
