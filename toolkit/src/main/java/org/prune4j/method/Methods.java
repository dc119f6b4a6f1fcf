package org.prune4j.method;

import java.util.List;

/**
 * Entry points to every method's builder, and the names the command line accepts.
 */
public final class Methods {

    private Methods() {}

    /** The method names {@link #byName} accepts. */
    public static final List<String> NAMES = List.of("dense", "static", "gmp", "pdp");

    /** No sparsity. */
    public static Dense dense() {
        return new Dense();
    }

    /** A fixed random mask. */
    public static StaticMask.Builder staticMask() {
        return StaticMask.builder();
    }

    /** Gradual magnitude pruning. */
    public static Gmp.Builder gmp() {
        return Gmp.builder();
    }

    /** PDP: soft masks in the forward pass, hardened at the end of pruning. */
    public static Pdp.Builder pdp() {
        return Pdp.builder();
    }

    /**
     * A method with default settings at a sparsity, by its command-line name.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static SparsityMethod byName(String name, double sparsity) {
        switch (name) {
            case "dense":
                return dense();
            case "static":
                return staticMask().sparsity(sparsity).build();
            case "gmp":
                return gmp().sparsity(sparsity).build();
            case "pdp":
                return pdp().sparsity(sparsity).build();
            default:
                throw new IllegalArgumentException("unknown method '" + name + "': expected one of " + String.join(", ", NAMES));
        }
    }
}
