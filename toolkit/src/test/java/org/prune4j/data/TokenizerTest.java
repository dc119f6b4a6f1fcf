package org.prune4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    @Test
    void lowerCasesAndSplitsOnPunctuationAndLineBreaks() {
        assertEquals(List.of("once", "again", "mr", "costner", "has", "dragged", "it", "out", "10", "10"),
                Tokenizer.tokens("Once again Mr. Costner has dragged it out...<br /><br />10/10"));
    }

    @Test
    void keepsApostrophesInsideWordsOnly() {
        assertEquals(List.of("don't", "it's", "the", "actors", "quote"),
                Tokenizer.tokens("Don't -- it's the actors' 'quote'"));
    }

    @Test
    void aTextWithoutWordsHasNoTokens() {
        assertEquals(List.of(), Tokenizer.tokens(" ... <br /> !!! '' "));
        assertEquals(List.of("é", "café"), Tokenizer.tokens("É, Café!"));
    }
}
