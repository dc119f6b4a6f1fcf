package org.prune4j.infer;

import java.util.Arrays;

/**
 * A float32 matrix in compressed sparse rows, with the two products inference needs: {@code y = W x + b}
 * for one example, and {@code Y = W X + b} for a batch held feature-major, one {@code float[batch]} per
 * feature ({@code x[feature][example]}).
 *
 * <p>Why feature-major arrays of arrays: each nonzero {@code w_rc} then adds {@code w_rc * x[c]} to
 * {@code y[r]}, an axpy over the batch on contiguous floats, which HotSpot's C2 vectorises. It does so
 * only when both arrays are indexed from the same offset: in one flat array ({@code x[c * batch + b]}) C2
 * cannot rule out that the two ranges overlap and keeps the loop scalar (measured: 4x slower at batch
 * 64). Four nonzeros share one pass over {@code y[r]}, which halves the loads and stores of the output
 * (measured: 1.6x). Large products split their rows over {@link KernelThreads}.
 */
public final class CsrMatrix {

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
        if (rows < 1 || cols < 1 || (long) rows * cols != dense.length) {
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

    /** {@code W x + bias} for one example: x has {@code cols} values, the result {@code rows}; bias may be null. */
    public float[] multiply(float[] x, float[] bias) {
        return multiply(x, bias, KernelThreads.THREADS);
    }

    /** {@link #multiply(float[], float[])} on at most {@code threads} threads (calibration measures one). */
    float[] multiply(float[] x, float[] bias, int threads) {
        if (x.length != cols) {
            throw new IllegalArgumentException(x.length + " inputs for a matrix of " + cols + " columns");
        }
        checkBias(bias);
        float[] y = new float[rows];
        KernelThreads.forRows(values.length, rowStart, (from, to) -> rowsOfOne(x, bias, y, from, to), threads);
        return y;
    }

    /**
     * {@code Y = W X + bias} for a feature-major batch: {@code x[c]} holds feature c of every example
     * ({@code cols} arrays of one length, the batch), written into {@code y[r]} ({@code rows} arrays of
     * the same length; their old values are overwritten). bias may be null.
     */
    public void multiply(float[][] x, float[] bias, float[][] y) {
        multiply(x, bias, y, KernelThreads.THREADS);
    }

    /** {@link #multiply(float[][], float[], float[][])} on at most {@code threads} threads. */
    void multiply(float[][] x, float[] bias, float[][] y, int threads) {
        int batch = batchOf(x, cols, "inputs");
        if (batchOf(y, rows, "outputs") != batch) {
            throw new IllegalArgumentException("outputs of batch " + y[0].length + " for inputs of batch " + batch);
        }
        checkBias(bias);
        KernelThreads.forRows((long) values.length * batch, rowStart, (from, to) -> rowsOfBatch(x, bias, y, from, to),
                threads);
    }

    /** {@link #multiply(float[][], float[], float[][])} into new arrays. */
    public float[][] multiply(float[][] x, float[] bias) {
        float[][] y = new float[rows][batchOf(x, cols, "inputs")];
        multiply(x, bias, y);
        return y;
    }

    private static int batchOf(float[][] a, int features, String what) {
        if (a.length != features || features == 0) {
            throw new IllegalArgumentException(a.length + " " + what + " features, expected " + features);
        }
        int batch = a[0].length;
        for (float[] feature : a) {
            if (feature.length != batch || batch == 0) {
                throw new IllegalArgumentException(what + " of unequal or zero batch: " + feature.length + " and " + batch);
            }
        }
        return batch;
    }

    private void checkBias(float[] bias) {
        if (bias != null && bias.length != rows) {
            throw new IllegalArgumentException(bias.length + " biases for " + rows + " rows");
        }
    }

    private void rowsOfOne(float[] x, float[] bias, float[] y, int from, int to) {
        for (int r = from; r < to; r++) {
            // Four partial sums: the adds of one row do not wait on each other.
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            int k = rowStart[r];
            int end = rowStart[r + 1];
            for (; k + 3 < end; k += 4) {
                s0 += values[k] * x[columns[k]];
                s1 += values[k + 1] * x[columns[k + 1]];
                s2 += values[k + 2] * x[columns[k + 2]];
                s3 += values[k + 3] * x[columns[k + 3]];
            }
            for (; k < end; k++) {
                s0 += values[k] * x[columns[k]];
            }
            y[r] = (bias == null ? 0f : bias[r]) + ((s0 + s1) + (s2 + s3));
        }
    }

    private void rowsOfBatch(float[][] x, float[] bias, float[][] y, int from, int to) {
        for (int r = from; r < to; r++) {
            float[] out = y[r];
            int batch = out.length;
            Arrays.fill(out, bias == null ? 0f : bias[r]);
            int k = rowStart[r];
            int end = rowStart[r + 1];
            for (; k + 3 < end; k += 4) {
                float w0 = values[k];
                float w1 = values[k + 1];
                float w2 = values[k + 2];
                float w3 = values[k + 3];
                float[] x0 = x[columns[k]];
                float[] x1 = x[columns[k + 1]];
                float[] x2 = x[columns[k + 2]];
                float[] x3 = x[columns[k + 3]];
                for (int b = 0; b < batch; b++) {
                    out[b] += (w0 * x0[b] + w1 * x1[b]) + (w2 * x2[b] + w3 * x3[b]);
                }
            }
            for (; k < end; k++) {
                float w = values[k];
                float[] in = x[columns[k]];
                for (int b = 0; b < batch; b++) {
                    out[b] += w * in[b];
                }
            }
        }
    }
}
