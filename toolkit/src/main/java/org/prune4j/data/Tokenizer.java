package org.prune4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a review into lower-case word tokens: maximal runs of letters and digits, with an apostrophe kept
 * when it joins two of them ({@code don't}, {@code it's}). Everything else, punctuation and the
 * {@code <br />} line breaks that IMDB reviews carry as text, separates tokens and is dropped.
 *
 * <p>Why so plain: the model is trained from scratch on one corpus, so a word-level vocabulary of the
 * training split is what the classic IMDB baselines (Maas et al. 2011; Keras' IMDB example) use; a
 * subword tokenizer would need a pretrained vocabulary this project cannot ship.
 */
public final class Tokenizer {

    private Tokenizer() {
    }

    /** The tokens of {@code text}, in order; empty for a text without letters or digits. */
    public static List<String> tokens(String text) {
        String lower = text.replace("<br />", " ").replace("<br/>", " ").toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        int n = lower.length();
        int start = -1;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? lower.charAt(i) : ' ';
            boolean word = Character.isLetterOrDigit(c)
                    || (c == '\'' && start >= 0 && i + 1 < n && Character.isLetterOrDigit(lower.charAt(i + 1)));
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                tokens.add(lower.substring(start, i));
                start = -1;
            }
        }
        return tokens;
    }
}
