package org.prune4j.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.prune4j.ManagedTest;

class TopKTest extends ManagedTest {

    private static float[] mask(NDArray scores, long keep) {
        NDArray m = TopK.mask(scores, keep);
        assertEquals(DataType.FLOAT32, m.getDataType());
        assertEquals(scores.getShape(), m.getShape());
        return m.toFloatArray();
    }

    private static long ones(float[] mask) {
        long n = 0;
        for (float v : mask) {
            assertTrue(v == 0f || v == 1f, "mask value " + v);
            if (v == 1f) {
                n++;
            }
        }
        return n;
    }

    /** The reference: stable sort by score descending, ties by lower index, take the first keep. */
    private static float[] reference(float[] scores, int keep) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
        float[] expected = new float[scores.length];
        for (int i = 0; i < keep; i++) {
            expected[order[i]] = 1f;
        }
        return expected;
    }

    @ParameterizedTest(name = "size {0}, keep {1}")
    @CsvSource({
        "1,0", "1,1", "2,1", "5,0", "5,1", "5,2", "5,3", "5,4", "5,5",
        "10,5", "11,5", "11,6", "100,49", "100,50", "100,51", "100,99", "1000,1", "1000,999", "4096,2048", "4097,2048"
    })
    void exactCountOfOnesAtTheLargestScores(int size, int keep) {
        float[] scores = new float[size];
        Random random = new Random(size * 31L + keep);
        for (int i = 0; i < size; i++) {
            scores[i] = random.nextFloat();
        }
        float[] got = mask(manager.create(scores), keep);
        assertEquals(keep, ones(got));
        assertArrayEquals(reference(scores, keep), got);
    }

    @ParameterizedTest(name = "size {0}, keep {1}, {2} distinct values")
    @CsvSource({"20,7,3", "20,13,3", "50,25,2", "50,24,2", "50,26,2", "64,1,1", "64,63,1", "1000,333,4", "1000,667,4"})
    void heavyTiesOnBothSelectionBranches(int size, int keep, int distinct) {
        float[] scores = new float[size];
        Random random = new Random(size + keep * 7L);
        for (int i = 0; i < size; i++) {
            scores[i] = random.nextInt(distinct);
        }
        float[] got = mask(manager.create(scores), keep);
        assertEquals(keep, ones(got));
        assertArrayEquals(reference(scores, keep), got);
    }

    @Test
    void tiesGoToTheLowestIndex() {
        NDArray scores = manager.create(new float[] {1, 3, 3, 3, 2});
        assertArrayEquals(new float[] {0, 1, 1, 0, 0}, mask(scores, 2));
        assertArrayEquals(new float[] {0, 1, 0, 0, 0}, mask(scores, 1));
        assertArrayEquals(new float[] {0, 1, 1, 1, 0}, mask(scores, 3));
        assertArrayEquals(new float[] {0, 1, 1, 1, 1}, mask(scores, 4));
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "3", "4", "7", "8"})
    void allEqualScoresKeepThePrefix(int keep) {
        float[] expected = new float[8];
        Arrays.fill(expected, 0, keep, 1f);
        assertArrayEquals(expected, mask(manager.full(new Shape(8), 0.5f), keep));
    }

    @Test
    void negativeScores() {
        NDArray scores = manager.create(new float[] {-5, -1, -3, -2, -4, -1});
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 1}, mask(scores, 3));
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0}, mask(scores, 1));
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 1}, mask(scores.neg().neg(), 3));
        // Five of six on the "smallest" branch: only the lowest score -5 is dropped.
        assertArrayEquals(new float[] {0, 1, 1, 1, 1, 1}, mask(scores, 5));
    }

    @Test
    void keepsTwoDimensionalShapeAndRowMajorOrder() {
        NDArray scores = manager.create(new float[] {6, 1, 5, 2, 4, 3}, new Shape(2, 3));
        NDArray m = TopK.mask(scores, 3);
        assertEquals(new Shape(2, 3), m.getShape());
        assertArrayEquals(new float[] {1, 0, 1, 0, 1, 0}, m.toFloatArray());
    }

    @Test
    void keepsFourDimensionalShape() {
        Shape shape = new Shape(2, 3, 2, 2);
        float[] values = new float[24];
        for (int i = 0; i < 24; i++) {
            values[i] = (i * 7) % 24; // a permutation of 0..23
        }
        NDArray m = TopK.mask(manager.create(values, shape), 10);
        assertEquals(shape, m.getShape());
        float[] got = m.toFloatArray();
        assertEquals(10, ones(got));
        for (int i = 0; i < 24; i++) {
            assertEquals(values[i] >= 14 ? 1f : 0f, got[i], "index " + i);
        }
    }

    @Test
    void zeroAndFullKeepOnMatrices() {
        NDArray scores = manager.randomUniform(0, 1, new Shape(3, 4));
        assertEquals(0, ones(mask(scores, 0)));
        assertEquals(12, ones(mask(scores, 12)));
    }

    @Test
    void deterministic() {
        float[] scores = new float[997];
        Random random = new Random(3);
        for (int i = 0; i < scores.length; i++) {
            scores[i] = random.nextInt(10); // many ties
        }
        NDArray array = manager.create(scores, new Shape(997));
        float[] first = mask(array, 400);
        float[] second = mask(manager.create(scores, new Shape(997)), 400);
        assertArrayEquals(first, second);
        assertArrayEquals(first, mask(array, 400));
    }

    @ParameterizedTest
    @CsvSource({"-1", "6", "100"})
    void badKeepNamesValueAndRange(long keep) {
        NDArray scores = manager.create(new float[] {1, 2, 3, 4, 5});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.mask(scores, keep));
        assertEquals("keep count " + keep + " is outside [0, 5] for a tensor of 5 values", e.getMessage());
    }

    @Test
    void boundaryIsTheSmallestKeptAndLargestPrunedOnBothBranches() {
        NDArray scores = manager.create(new float[] {0.1f, 0.5f, 0.3f, 0.3f, 0.2f, 0.05f});
        // Sorted: 0.5 0.3 0.3 0.2 0.1 0.05. keep 1 and 2 take the "largest" branch, 4 and 5 the "smallest" one.
        float[][] expected = {{0.5f, 0.3f}, {0.3f, 0.3f}, {0.3f, 0.2f}, {0.2f, 0.1f}, {0.1f, 0.05f}};
        for (int keep = 1; keep <= 5; keep++) {
            NDArray[] bounds = TopK.boundary(scores, keep);
            assertEquals(expected[keep - 1][0], bounds[0].getFloat(), "kept at keep " + keep);
            assertEquals(expected[keep - 1][1], bounds[1].getFloat(), "pruned at keep " + keep);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.boundary(scores, 6));
        assertEquals("a boundary between kept and pruned needs 0 < keep < 6, got 6", e.getMessage());
    }

    @Test
    void onesCountsExactlyAlsoBeyondWhatAFloatSumHolds() {
        assertEquals(3, TopK.ones(manager.create(new float[] {1, 0, 1, 1, 0})));
        // 2^24 + 1 ones: a float32 sum would stop at 2^24.
        long size = (1L << 24) + 3;
        NDArray mask = manager.ones(new Shape(size));
        mask.set(new ai.djl.ndarray.index.NDIndex((1L << 24) + 1 + ":"), 0f);
        assertEquals((1L << 24) + 1, TopK.ones(mask));
    }

    @Test
    void globalMasksAcrossThreeTensors() {
        NDArray a = manager.create(new float[] {0.9f, 0.1f, 0.5f, 0.3f}, new Shape(2, 2));
        NDArray b = manager.create(new float[] {0.8f, 0.2f, 0.5f});
        NDArray c = manager.create(new float[] {0.05f, 0.7f, 0.5f, 0.6f, 0.0f, 0.4f}, new Shape(1, 2, 3));
        // Sorted: 0.9(a0) 0.8(b0) 0.7(c1) 0.6(c3) 0.5(a2) 0.5(b2) 0.5(c2) 0.4(c5) ...; keep 6:
        // the three 0.5 ties compete for two places and the lower flat indices (a2, b2) win.
        List<NDArray> masks = TopK.globalMasks(List.of(a, b, c), 6);
        assertEquals(3, masks.size());
        assertEquals(new Shape(2, 2), masks.get(0).getShape());
        assertEquals(new Shape(3), masks.get(1).getShape());
        assertEquals(new Shape(1, 2, 3), masks.get(2).getShape());
        assertArrayEquals(new float[] {1, 0, 1, 0}, masks.get(0).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 1}, masks.get(1).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0}, masks.get(2).toFloatArray());
        long total = masks.stream().mapToLong(m -> ones(m.toFloatArray())).sum();
        assertEquals(6, total);

        List<NDArray> seven = TopK.globalMasks(List.of(a, b, c), 7);
        assertArrayEquals(new float[] {0, 1, 1, 1, 0, 0}, seven.get(2).toFloatArray());
        List<NDArray> none = TopK.globalMasks(List.of(a, b, c), 0);
        assertEquals(0, none.stream().mapToLong(m -> ones(m.toFloatArray())).sum());
        List<NDArray> all = TopK.globalMasks(List.of(a, b, c), 13);
        assertEquals(13, all.stream().mapToLong(m -> ones(m.toFloatArray())).sum());
    }

    @Test
    void globalMasksOwnTheirMemory() {
        NDArray a = manager.create(new float[] {3, 1});
        NDArray b = manager.create(new float[] {2, 4});
        List<NDArray> masks = TopK.globalMasks(List.of(a, b), 2);
        masks.get(0).muli(0); // must not alter the other mask
        assertArrayEquals(new float[] {0, 1}, masks.get(1).toFloatArray());
    }

    @Test
    void globalMasksRejectBadKeep() {
        NDArray a = manager.create(new float[] {3, 1});
        NDArray b = manager.create(new float[] {2, 4, 5});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TopK.globalMasks(List.of(a, b), 6));
        assertEquals("keep count 6 is outside [0, 5] for a tensor of 5 values", e.getMessage());
    }

    @Test
    void unstructuredPattern() {
        Pattern p = Pattern.unstructured();
        assertEquals("unstructured", p.name());
        assertEquals(30, p.keepCount(new Shape(10, 10), 0.3));
        assertEquals(0, p.keepCount(new Shape(10, 10), 0.0));
        assertEquals(100, p.keepCount(new Shape(10, 10), 1.0));
        assertEquals(18714, p.keepCount(new Shape(300, 784), 18714.0 / 235200)); // round trip of a count
        assertEquals(2, p.keepCount(new Shape(3), 0.5)); // 1.5 rounds half up
        NDArray scores = manager.create(new float[] {1, 3, 3, 3, 2});
        assertArrayEquals(new float[] {0, 1, 1, 0, 0}, p.select(scores, 2).toFloatArray());
        p.validate("any", new Shape(3, 5, 7)); // unstructured tiles any shape
    }

    /** boundaryAbove's two scalars belong to the caller's scope, as boundary's do: closing it frees them. */
    @Test
    void boundaryAboveResultsAreFreedWithTheCallersScope() {
        NDArray scores = manager.create(new float[] {0.1f, 0.9f, 0.5f, 0.7f, 0.3f});
        TopK.FloorBoundary found;
        try (NDScope ignored = new NDScope()) {
            found = TopK.boundaryAbove(scores, 2, 0.2f);
            assertEquals(0.7f, found.keptMin().getFloat());
            assertEquals(0.5f, found.prunedMax().getFloat());
        }
        assertTrue(found.keptMin().isReleased() && found.prunedMax().isReleased(), "left outside every scope");
    }
}
