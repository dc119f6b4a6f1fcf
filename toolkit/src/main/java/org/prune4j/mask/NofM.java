package org.prune4j.mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * N:M sparsity: in every group of M consecutive weights along the input dimension, exactly N are kept
 * (2:4 is what NVIDIA's sparse tensor cores run).
 *
 * <p>Groups: a weight is viewed as (out, fan-in), with fan-in the product of every dimension after the
 * first; for a Linear weight (out, in) the groups run along {@code in}, for a convolution weight
 * (out, in, kh, kw) along {@code in·kh·kw} flattened per output channel in row-major order (so a group
 * spans input channels times the kernel). The fan-in must be a multiple of M.
 *
 * <p>The density is fixed at N/M: {@link #keepCount} ignores the requested density below 1 and always
 * answers N/M of the weights; {@link #select} insists on exactly that count. Ties within a group go to
 * the lower index, so the mask depends only on the scores.
 */
public final class NofM implements Pattern {

    private final int n;
    private final int m;

    /**
     * Keeps {@code n} of every {@code m} consecutive weights.
     *
     * @throws IllegalArgumentException unless 1 <= n < m
     */
    public NofM(int n, int m) {
        if (n < 1 || m < 2 || n >= m) {
            throw new IllegalArgumentException("N:M pattern " + n + ":" + m + " needs 1 <= N < M");
        }
        this.n = n;
        this.m = m;
    }

    /** Weights kept per group. */
    public int n() {
        return n;
    }

    /** Group size. */
    public int m() {
        return m;
    }

    /** The fixed density N/M. */
    public double density() {
        return (double) n / m;
    }

    @Override
    public String name() {
        return n + ":" + m;
    }

    @Override
    public void validate(String layer, Shape shape) {
        long fanIn = Patterns.fanIn(layer, shape, name());
        if (fanIn % m != 0) {
            throw new IllegalArgumentException("layer '" + layer + "' of shape " + shape + ": fan-in " + fanIn
                    + " is not a multiple of M=" + m + " for the " + name() + " pattern");
        }
    }

    @Override
    public long keepCount(Shape shape, double density) {
        validate("?", shape);
        return density >= 1 ? shape.size() : shape.size() / m * n;
    }

    @Override
    public NDArray select(NDArray scores, long keep) {
        Shape shape = scores.getShape();
        validate("?", shape);
        if (keep == shape.size()) {
            return scores.onesLike().toType(DataType.FLOAT32, false);
        }
        if (keep != shape.size() / m * n) {
            throw new IllegalArgumentException("the " + name() + " pattern keeps exactly " + (shape.size() / m * n)
                    + " of " + shape.size() + " weights of shape " + shape + ", not " + keep);
        }
        NDArray result;
        try (NDScope ignored = new NDScope()) {
            NDArray groups = scores.reshape(-1, m);
            // rank of i in its group = #{j: s_j > s_i} + #{j < i: s_j == s_i}; keep rank < N.
            // Pairwise comparisons cost M times the tensor, cheap for the small M of real patterns.
            NDArray self = groups.expandDims(2);
            NDArray other = groups.expandDims(1);
            NDArray earlier = scores.getManager().arange(m).expandDims(0).lt(scores.getManager().arange(m).expandDims(1));
            NDArray beats = other.gt(self).logicalOr(other.eq(self).logicalAnd(earlier));
            NDArray rank = beats.toType(DataType.INT32, false).sum(new int[] {2});
            result = rank.lt(n).toType(DataType.FLOAT32, false).reshape(shape);
            NDScope.unregister(result);
        }
        return result;
    }

    /**
     * The per-group N-th and (N+1)-th largest scores, shaped (groups, 1) each: what a soft threshold
     * within each group needs (PDP's N:M variant).
     */
    public NDArray[] boundaries(NDArray scores) {
        NDArray top = scores.reshape(-1, m).topK(n + 1, 1, true, true).get(0);
        return new NDArray[] {top.get(":, " + (n - 1) + ":" + n), top.get(":, " + n + ":" + (n + 1))};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NofM other && other.n == n && other.m == m;
    }

    @Override
    public int hashCode() {
        return 31 * n + m;
    }

    @Override
    public String toString() {
        return name();
    }
}
