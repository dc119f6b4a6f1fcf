package org.prune4j.data;

import java.nio.file.Files;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The IMDB reviews for real-data tests: skipped where {@code datasets/imdb} is not fetched, a failure in CI (where
 * {@code ./prune4j test} fetches it, so a skip would hide a broken fetch).
 */
public final class ImdbFixture {

    private ImdbFixture() {}

    /** The first {@code train} training and {@code test} test reviews (both balanced, see datasets/README.md). */
    public static DataSplit subset(int train, int test) {
        boolean fetched = Files.isRegularFile(Datasets.root().resolve("datasets/imdb/reviews.json"));
        if (System.getenv("CI") != null) {
            Assertions.assertTrue(fetched, "datasets/imdb not fetched: run ./datasets/fetch imdb");
        }
        Assumptions.assumeTrue(fetched, "datasets/imdb not fetched: run ./datasets/fetch imdb");
        return Datasets.imdb().split().subset(train, test);
    }
}
