package org.prune4j.method;

/** No sparsity at all: the reference every sparse method is compared with. */
public final class Dense implements SparsityMethod {

    @Override
    public String name() {
        return "dense";
    }

    @Override
    public double targetSparsity() {
        return 0;
    }

    @Override
    public String describe() {
        return "dense";
    }
}
