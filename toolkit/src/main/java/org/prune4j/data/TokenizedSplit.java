package org.prune4j.data;

import java.util.Objects;

/**
 * A text dataset ready for a model: the official split with every review as a row of token ids, and the
 * vocabulary that made them.
 *
 * <p>Each example is stored as a 1x1xL "image" of ids ({@code L = sequenceLength}), the ids as float32, which is
 * exact for every id below 2^24. So the trainer, the data order, the checkpoints and the benchmarks move
 * reviews exactly as they move images, and only the model's first layer knows it reads ids.
 *
 * @param split          train and test, ids padded with {@link Vocabulary#PAD} at the end
 * @param vocabulary     built from the training split only
 * @param sequenceLength tokens per example (longer reviews are cut)
 */
public record TokenizedSplit(DataSplit split, Vocabulary vocabulary, int sequenceLength) {

    /** Checks that the split's rows are {@code sequenceLength} long. */
    public TokenizedSplit {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(vocabulary, "vocabulary");
        if (split.train().channels() != 1 || split.train().height() != 1 || split.train().width() != sequenceLength) {
            throw new IllegalArgumentException("rows of " + split.train() + " are not 1x1x" + sequenceLength);
        }
    }

    /** The ids of example {@code index} of {@code part} (train or test), padding included. */
    public static int[] ids(ImageData part, int index) {
        int length = part.imageSize();
        int[] ids = new int[length];
        float[] values = part.pixels();
        for (int i = 0; i < length; i++) {
            ids[i] = (int) values[index * length + i];
        }
        return ids;
    }
}
