package org.prune4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    // Counts: the 4, a 3, movie 2, bad 2, good 1, zzz 1.
    private static final List<List<String>> TEXTS = List.of(
            List.of("the", "movie", "a", "good"),
            List.of("the", "bad", "a", "the"),
            List.of("movie", "bad", "the", "a", "zzz"));

    @Test
    void ranksByCountThenAlphabeticallyAfterTheReservedIds() {
        Vocabulary vocabulary = Vocabulary.build(TEXTS, 6);
        assertEquals(6, vocabulary.size());
        assertEquals(List.of("[PAD]", "[UNK]", "the", "a", "bad", "movie"),
                List.of(vocabulary.word(0), vocabulary.word(1), vocabulary.word(2), vocabulary.word(3),
                        vocabulary.word(4), vocabulary.word(5)));
        // bad and movie both occur twice: alphabetical order decides; good and zzz did not make the cut.
        assertEquals(Vocabulary.UNK, vocabulary.id("good"));
        assertFalse(vocabulary.contains("good"));
        assertTrue(vocabulary.contains("movie"));
        assertEquals(Vocabulary.UNK, vocabulary.id("[PAD]"));
    }

    @Test
    void padsAShortReviewAndKeepsHeadAndTailOfALongOne() {
        Vocabulary vocabulary = Vocabulary.build(TEXTS, 6);
        assertArrayEquals(new int[] {2, 5, 1, 0, 0}, vocabulary.encode(List.of("the", "movie", "unseen"), 5));
        assertArrayEquals(new int[] {3, 4, 2, 5}, vocabulary.encode(List.of("a", "bad", "the", "movie"), 4));
        List<String> ten = List.of("the", "a", "x", "x", "bad", "movie", "the", "a", "bad", "movie");
        // 10 tokens into 8: the first 8/4 = 2 and the last 6; the two unknown x in the middle are cut.
        assertArrayEquals(new int[] {2, 3, 4, 5, 2, 3, 4, 5}, vocabulary.encode(ten, 8));
    }

    @Test
    void aSmallCorpusGivesFewerIdsThanAsked() {
        assertEquals(8, Vocabulary.build(TEXTS, 100).size());
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(TEXTS, 2));
    }
}
