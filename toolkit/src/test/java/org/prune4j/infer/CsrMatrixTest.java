package org.prune4j.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

class CsrMatrixTest {

    // W = [[1, 0, 2], [0, 0, 0], [-3, 4, 0]], bias [0.5, -1, 0]
    private static final float[] W = {1, 0, 2, 0, 0, 0, -3, 4, 0};
    private static final float[] BIAS = {0.5f, -1f, 0f};

    @Test
    void oneExampleIsTheHandComputedProduct() {
        CsrMatrix matrix = CsrMatrix.of(W, 3, 3);
        assertEquals(4, matrix.nonzeros());
        // x = [1, 2, 3]: [1 + 6 + 0.5, -1, -3 + 8]
        assertArrayEquals(new float[] {7.5f, -1f, 5f}, matrix.multiply(new float[] {1, 2, 3}, BIAS));
        assertArrayEquals(new float[] {7f, 0f, 5f}, matrix.multiply(new float[] {1, 2, 3}, null));
    }

    @Test
    void aFeatureMajorBatchIsTheHandComputedProduct() {
        CsrMatrix matrix = CsrMatrix.of(W, 3, 3);
        // Examples [1, 2, 3] and [0, -1, 1], one array per feature.
        float[][] x = {{1, 0}, {2, -1}, {3, 1}};
        float[][] y = matrix.multiply(x, BIAS);
        assertArrayEquals(new float[] {7.5f, 2.5f}, y[0]);
        assertArrayEquals(new float[] {-1f, -1f}, y[1]);
        assertArrayEquals(new float[] {5f, -4f}, y[2]);
    }

    @Test
    void negativeZerosAreNotStored() {
        assertEquals(1, CsrMatrix.of(new float[] {-0.0f, 0.0f, 3f, -0.0f}, 2, 2).nonzeros());
    }

    /** Odd shapes and batches around the vector width, and products large enough to be split over threads. */
    @ParameterizedTest
    @CsvSource({"1, 1, 1.0, 1", "7, 5, 0.3, 3", "33, 130, 0.05, 63", "33, 130, 0.05, 65", "10, 100, 0.0, 64",
        "257, 129, 1.0, 17", "600, 700, 0.3, 64", "2048, 700, 0.4, 1", "300, 784, 0.05, 130"})
    void everyBatchEqualsTheDenseProduct(int rows, int cols, double density, int batch) {
        Random random = new Random(rows * 31L + cols);
        float[] weights = new float[rows * cols];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextDouble() < density ? random.nextFloat() * 2 - 1 : 0f;
        }
        float[] bias = new float[rows];
        for (int r = 0; r < rows; r++) {
            bias[r] = random.nextFloat();
        }
        float[][] x = new float[cols][batch];
        for (float[] feature : x) {
            for (int b = 0; b < batch; b++) {
                feature[b] = random.nextFloat() * 2 - 1;
            }
        }
        CsrMatrix matrix = CsrMatrix.of(weights, rows, cols);
        float[][] y = new float[rows][batch];
        for (float[] row : y) {
            java.util.Arrays.fill(row, Float.NaN); // old contents must be overwritten
        }
        matrix.multiply(x, bias, y);
        for (int b = 0; b < batch; b++) {
            float[] one = new float[cols];
            for (int c = 0; c < cols; c++) {
                one[c] = x[c][b];
            }
            float[] single = matrix.multiply(one, bias);
            for (int r = 0; r < rows; r++) {
                double expected = bias[r];
                for (int c = 0; c < cols; c++) {
                    expected += (double) weights[r * cols + c] * x[c][b];
                }
                float tolerance = 1e-5f * (float) Math.max(1, Math.sqrt(cols));
                assertEquals(expected, y[r][b], tolerance, "row " + r + " example " + b);
                assertEquals(expected, single[r], tolerance, "row " + r + " example " + b + " alone");
            }
        }
    }

    @Test
    void badShapesAreRefusedWithTheirSizes() {
        CsrMatrix matrix = CsrMatrix.of(W, 3, 3);
        assertEquals("5 values for a 2x3 matrix",
                assertThrows(IllegalArgumentException.class, () -> CsrMatrix.of(new float[5], 2, 3)).getMessage());
        assertEquals("2 inputs for a matrix of 3 columns",
                assertThrows(IllegalArgumentException.class, () -> matrix.multiply(new float[2], null)).getMessage());
        assertEquals("2 inputs features, expected 3",
                assertThrows(IllegalArgumentException.class, () -> matrix.multiply(new float[2][4], null)).getMessage());
        assertEquals("outputs of batch 5 for inputs of batch 4", assertThrows(IllegalArgumentException.class,
                () -> matrix.multiply(new float[3][4], null, new float[3][5])).getMessage());
        assertEquals("2 biases for 3 rows",
                assertThrows(IllegalArgumentException.class, () -> matrix.multiply(new float[3], new float[2])).getMessage());
    }

    @Test
    void rowsAreSplitIntoPartsOfAboutEqualNonzeros() {
        // rows with 10, 0, 0, 10, 20, 0 nonzeros
        int[] rowStart = {0, 10, 10, 10, 20, 40, 40};
        assertArrayEquals(new int[] {0, 4, 6}, KernelThreads.split(rowStart, 2));
        int[] bounds = KernelThreads.split(rowStart, 4);
        assertEquals(0, bounds[0]);
        assertEquals(6, bounds[4]);
        for (int p = 0; p < 4; p++) {
            assertTrue(bounds[p] <= bounds[p + 1], "bounds increase: " + java.util.Arrays.toString(bounds));
        }
        // An empty matrix: the bounds still cover all rows, in order.
        int[] empty = KernelThreads.split(new int[] {0, 0, 0, 0}, 2);
        assertEquals(0, empty[0]);
        assertEquals(3, empty[2]);
        assertTrue(empty[1] >= 0 && empty[1] <= 3, java.util.Arrays.toString(empty));
    }
}
