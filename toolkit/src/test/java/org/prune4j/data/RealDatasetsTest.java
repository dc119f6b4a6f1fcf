package org.prune4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The real MNIST and Fashion-MNIST files. Skipped only when a dataset has not been fetched
 * ({@code ./datasets/fetch}); CI fetches them first, so there these always run.
 */
class RealDatasetsTest {

    private static Path rootWith(String folder) {
        Path root = Datasets.root();
        boolean fetched = Files.isDirectory(root.resolve("datasets").resolve(folder));
        String message = "datasets/" + folder + " not fetched: run ./datasets/fetch " + folder;
        // In CI the data is always fetched first: a missing folder there is a failure, not a skip.
        if (System.getenv("CI") != null) {
            Assertions.assertTrue(fetched, message);
        }
        Assumptions.assumeTrue(fetched, message);
        return root;
    }

    private static int[] histogram(int[] labels) {
        int[] counts = new int[10];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    @Test
    void mnist() {
        Path root = rootWith("mnist");
        DataSplit split = Datasets.mnist(root);
        assertEquals(60_000, split.train().size());
        assertEquals(10_000, split.test().size());
        assertEquals(60_000 * 784, split.train().pixels().length);
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
                histogram(split.test().labels()));
        assertEquals(0.0, mean(split.train().pixels()), 0.01);
        // Classic first labels of the MNIST training set.
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, java.util.Arrays.copyOf(split.train().labels(), 10));

        split = null; // let the first copy go, so the timing below measures loading, not heap growth
        long start = System.nanoTime();
        split = Datasets.mnist(root);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("MNIST reload (checksums cached): %.3f s%n", seconds);
        // Generous bound for a noisy 2-core machine; typical is well under 0.3 s.
        assertTrue(seconds < 2.0, "reloading MNIST took " + seconds + " s");
        assertEquals(60_000, split.train().size());
    }

    @Test
    void fashionMnist() {
        Path root = rootWith("fashion-mnist");
        DataSplit split = Datasets.fashionMnist(root);
        assertEquals(60_000, split.train().size());
        assertEquals(10_000, split.test().size());
        int[] sixThousand = new int[10];
        java.util.Arrays.fill(sixThousand, 6000);
        int[] oneThousand = new int[10];
        java.util.Arrays.fill(oneThousand, 1000);
        assertArrayEquals(sixThousand, histogram(split.train().labels()));
        assertArrayEquals(oneThousand, histogram(split.test().labels()));
        assertEquals(0.0, mean(split.train().pixels()), 0.01);
    }
}
