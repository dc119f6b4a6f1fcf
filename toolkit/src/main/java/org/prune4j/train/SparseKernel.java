package org.prune4j.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * Whether training steps of a masked MLP go through the sparse kernel ({@code SparseMlpStep}), which
 * computes only at kept weights: {@code auto} where the run allows it and the masks are sparse enough to be
 * faster, {@code on} wherever the run allows it (refused, naming why, where it does not), {@code off} never.
 */
public enum SparseKernel {
    /** Where the run allows it and the kept fraction is at most the measured crossover. */
    AUTO,
    /** Wherever the run allows it; a run it cannot train is refused. */
    ON,
    /** Never: every step through DJL, dense products with masked weights. */
    OFF;

    /** Parses {@code auto}, {@code on} or {@code off}. */
    public static SparseKernel parse(String text) {
        for (SparseKernel value : values()) {
            if (value.name().equalsIgnoreCase(text)) {
                return value;
            }
        }
        throw new IllegalArgumentException("sparse kernel '" + text + "' is not one of " + accepted());
    }

    /** The accepted names, for messages: {@code auto, on, off}. */
    public static String accepted() {
        return String.join(", ", Arrays.stream(values()).map(SparseKernel::toString).toList());
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
