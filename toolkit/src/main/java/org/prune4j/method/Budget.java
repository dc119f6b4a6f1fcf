package org.prune4j.method;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a total sparsity is shared among layers (methods.md, "Layer densities").
 *
 * <p>UNIFORM, ER and ERK fix each layer's density from the shapes alone; GLOBAL ranks all scores of all
 * masked layers together, so each layer's density falls out of one threshold.
 */
public enum Budget {
    /** Every masked layer at the same density. */
    UNIFORM,
    /** Erdős–Rényi: density proportional to (n_in + n_out)/(n_in · n_out). */
    ER,
    /** Erdős–Rényi-Kernel: density proportional to sum(shape)/prod(shape), dense overflow re-solved. */
    ERK,
    /** One threshold over the scores of all masked layers together. */
    GLOBAL;

    /** Parses {@code uniform}, {@code er}, {@code erk} or {@code global}, case-insensitively. */
    public static Budget parse(String text) {
        for (Budget budget : values()) {
            if (budget.name().equalsIgnoreCase(text.trim())) {
                return budget;
            }
        }
        throw new IllegalArgumentException("unknown layer budget '" + text + "': expected one of "
                + Arrays.stream(values()).map(b -> b.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
