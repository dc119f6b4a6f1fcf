package org.prune4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageDataTest {

    /** n images of 1x2x2 whose pixels all equal the image index, label = index % 3. */
    static ImageData indexed(int n) {
        float[] pixels = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(pixels, i * 4, i * 4 + 4, i);
            labels[i] = i % 3;
        }
        return ImageData.of("indexed", 1, 2, 2, 3, pixels, labels);
    }

    @Test
    void shuffledOrderIsADeterministicPermutationThatChangesWithTheEpoch() {
        ImageData data = indexed(1000);
        int[] epoch0 = data.shuffledOrder(42, 0);
        int[] sorted = epoch0.clone();
        Arrays.sort(sorted);
        int[] identity = new int[1000];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, sorted);
        assertFalse(Arrays.equals(identity, epoch0));

        assertArrayEquals(epoch0, data.shuffledOrder(42, 0));
        assertFalse(Arrays.equals(epoch0, data.shuffledOrder(42, 1)));
        assertFalse(Arrays.equals(epoch0, data.shuffledOrder(43, 0)));
        for (int epoch = 1; epoch < 5; epoch++) {
            int[] again = data.shuffledOrder(7, epoch).clone();
            Arrays.sort(again);
            assertArrayEquals(identity, again);
        }
    }

    @Test
    void shuffledOrderFollowsTheDocumentedRecipe() {
        int[] expected = new int[10];
        Arrays.setAll(expected, i -> i);
        java.util.Random random = new java.util.Random(5 * 1_000_003L + 3);
        for (int i = 9; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = expected[i];
            expected[i] = expected[j];
            expected[j] = t;
        }
        assertArrayEquals(expected, indexed(10).shuffledOrder(5, 3));
    }

    @Test
    void subsetKeepsTheFirstExamples() {
        ImageData data = indexed(10);
        ImageData first = data.subset(4);
        assertEquals(4, first.size());
        assertEquals(16, first.pixels().length);
        assertEquals(3f, first.pixels()[15]);
        assertArrayEquals(new int[] {0, 1, 2, 0}, first.labels());
        assertSame(data, data.subset(10));
        assertThrows(IllegalArgumentException.class, () -> data.subset(11));
        assertThrows(IllegalArgumentException.class, () -> data.subset(0));
    }

    @Test
    void ofCopiesAndValidates() {
        float[] pixels = new float[4];
        ImageData data = ImageData.of("x", 1, 2, 2, 2, pixels, new int[] {1});
        pixels[0] = 9;
        assertEquals(0f, data.pixels()[0]);
        assertThrows(IllegalArgumentException.class, () -> ImageData.of("x", 1, 2, 2, 2, new float[3], new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> ImageData.of("x", 1, 2, 2, 2, new float[4], new int[] {2}));
    }

    @Test
    void toDjlGivesNchwBatchesInTheSeededOrder() throws Exception {
        ImageData data = indexed(10);
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset dataset = data.toDjl(manager, 4, true, 42);
            for (int epoch = 0; epoch < 2; epoch++) {
                List<Integer> seen = new ArrayList<>();
                List<Long> batchSizes = new ArrayList<>();
                for (Batch batch : dataset.getData(manager)) {
                    try (batch) {
                        Shape shape = batch.getData().head().getShape();
                        assertEquals(1, shape.get(1));
                        assertEquals(2, shape.get(2));
                        assertEquals(2, shape.get(3));
                        batchSizes.add(shape.get(0));
                        float[] pixels = batch.getData().head().toFloatArray();
                        float[] labels = batch.getLabels().head().toFloatArray();
                        for (int i = 0; i < labels.length; i++) {
                            int index = (int) pixels[i * 4];
                            seen.add(index);
                            assertEquals(index % 3, (int) labels[i]);
                        }
                    }
                }
                assertEquals(List.of(4L, 4L, 2L), batchSizes);
                int[] expected = data.shuffledOrder(42, epoch);
                assertArrayEquals(expected, seen.stream().mapToInt(Integer::intValue).toArray(), "epoch " + epoch);
            }

            List<Integer> sequential = new ArrayList<>();
            for (Batch batch : data.toDjl(manager, 3, false, 0).getData(manager)) {
                try (batch) {
                    for (float label : batch.getData().head().toFloatArray()) {
                        sequential.add((int) label);
                    }
                }
            }
            assertEquals(0, sequential.get(0));
            assertEquals(9, sequential.get(sequential.size() - 1));
            assertThrows(IllegalArgumentException.class, () -> data.toDjl(manager, 0, false, 0));
        }
    }
}
