package org.prune4j.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * Whether training steps of an MLP go through the training kernel ({@code SparseMlpStep}), one native call per step
 * that runs each layer at its kept weights only or dense, whichever is faster here: {@code auto} where the run
 * allows it, {@code on} the same but a run it cannot train is refused (naming why), {@code off} never.
 */
public enum SparseKernel {
    /**
     * Where the run allows it; where PyTorch's BLAS cannot be reached from the kernel (so no layer can run dense
     * inside it), only while the kept fraction is at most the crossover measured before dense layers could.
     */
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
