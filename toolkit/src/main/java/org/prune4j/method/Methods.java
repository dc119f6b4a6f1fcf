package org.prune4j.method;

/**
 * Entry points to the builders of the methods in this package. Methods by name (the command line's,
 * recipes', sweeps'), C-GaP and P-GaP included, are in {@code org.prune4j.registry.MethodRegistry}.
 */
public final class Methods {

    private Methods() {}

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
}
