package org.prune4j.method;

import java.util.List;

/**
 * Entry points to every method's builder, and the names the command line accepts ({@code pgap} is a
 * runner of several trainings, {@link org.prune4j.gap.PGap}, so {@link #byName} cannot make it).
 */
public final class Methods {

    private Methods() {}

    /** The method names {@link #byName} accepts. */
    public static final List<String> NAMES = List.of("dense", "static", "gmp", "gmp-layerwise", "pdp", "cgap", "pgap", "granet", "granet-st", "rigl", "set", "snip", "lth");

    /** No sparsity. */
    public static Dense dense() {
        return new Dense();
    }

    /** A fixed random mask. */
    public static StaticMask.Builder staticMask() {
        return StaticMask.builder();
    }

    /** Gradual magnitude pruning, global scope (the GraNet code's GMP baseline). */
    public static Gmp.Builder gmp() {
        return Gmp.builder();
    }

    /** Gradual magnitude pruning, every layer at the same sparsity (Zhu and Gupta's original). */
    public static Gmp.Builder gmpLayerwise() {
        return Gmp.layerwise();
    }

    /** PDP: soft masks in the forward pass, hardened at the end of pruning. */
    public static Pdp.Builder pdp() {
        return Pdp.builder();
    }

    /** Cyclic grow-and-prune (C-GaP); P-GaP is a runner, {@code org.prune4j.gap.PGap}. */
    public static org.prune4j.gap.CGap.Builder cgap() {
        return org.prune4j.gap.CGap.builder();
    }

    /** GraNet: gradual magnitude pruning from dense with zero-cost neuroregeneration. */
    public static GraNet.Builder granet() {
        return GraNet.builder();
    }

    /** GraNet-ST: GraNet from a random ERK mask at sparsity 0.5. */
    public static GraNet.Builder granetSt() {
        return GraNet.st();
    }

    /** RigL: random ERK mask, magnitude drop and gradient growth. */
    public static DynamicSparse.Builder rigl() {
        return DynamicSparse.rigl();
    }

    /** SET: random ERK mask, magnitude drop and random growth. */
    public static DynamicSparse.Builder set() {
        return DynamicSparse.set();
    }

    /** SNIP: one-shot |g * w| at initialisation. */
    public static Snip.Builder snip() {
        return Snip.builder();
    }

    /** Lottery-ticket iterative magnitude pruning with rewinding. */
    public static LotteryTicket.Builder lth() {
        return LotteryTicket.builder();
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
            case "gmp-layerwise":
                return gmpLayerwise().sparsity(sparsity).build();
            case "pdp":
                return pdp().sparsity(sparsity).build();
            case "cgap":
                return cgap().sparsity(sparsity).build();
            case "pgap":
                throw new IllegalArgumentException("pgap is a runner, not a single-run method: use org.prune4j.gap.PGap");
            case "granet":
                return granet().sparsity(sparsity).build();
            case "granet-st":
                return granetSt().sparsity(sparsity).build();
            case "rigl":
                return rigl().sparsity(sparsity).build();
            case "set":
                return set().sparsity(sparsity).build();
            case "snip":
                return snip().sparsity(sparsity).build();
            case "lth":
                return lth().sparsity(sparsity).build();
            default:
                throw new IllegalArgumentException("unknown method '" + name + "': expected one of " + String.join(", ", NAMES));
        }
    }
}
