package org.prune4j.export;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a compressed file says about its model, enough to rebuild it: the zoo name
 * ({@link org.prune4j.nn.Models}), the number of classes, the input shape it was initialised with
 * (batch dimension first, usually 1) and, for information, the dataset it was trained on.
 *
 * @param model      zoo model name (for example {@code lenet300}) or any name for a custom block
 * @param classes    number of outputs, {@code >= 1}
 * @param inputShape the initialisation shape, such as {@code [1, 1, 28, 28]}
 * @param dataset    dataset name, may be empty
 */
public record ModelHeader(String model, int classes, long[] inputShape, String dataset) {

    /** Validates and copies the shape. */
    public ModelHeader {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dataset, "dataset");
        if (classes < 1) {
            throw new IllegalArgumentException("classes " + classes + " outside [1,inf)");
        }
        inputShape = inputShape.clone();
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelHeader that && model.equals(that.model) && classes == that.classes
                && Arrays.equals(inputShape, that.inputShape) && dataset.equals(that.dataset);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, classes, Arrays.hashCode(inputShape), dataset);
    }

    @Override
    public String toString() {
        return model + " (" + classes + " classes, input " + Arrays.toString(inputShape) + ", " + dataset + ")";
    }
}
