package org.prune4j.data;

import java.util.Objects;

/**
 * The official train/test split of one dataset.
 *
 * @param train the training examples
 * @param test  the held-out test examples, never used to choose masks or hyper-parameters
 */
public record DataSplit(ImageData train, ImageData test) {

    /** Checks that both parts are present and describe the same kind of image. */
    public DataSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.channels() != test.channels() || train.height() != test.height()
                || train.width() != test.width() || train.classes() != test.classes()) {
            throw new IllegalArgumentException("train " + train + " and test " + test
                    + " must have the same image shape and number of classes");
        }
    }

    /** The same split with both parts cut to their first examples, for quick experiments. */
    public DataSplit subset(int trainSize, int testSize) {
        return new DataSplit(train.subset(trainSize), test.subset(testSize));
    }

    /** The dataset's name without the split, such as {@code mnist} for {@code mnist/train}. */
    public String name() {
        String trainName = train.name();
        int slash = trainName.indexOf('/');
        return slash < 0 ? trainName : trainName.substring(0, slash);
    }
}
