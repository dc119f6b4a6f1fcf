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
    public boolean needsBackwardHookAt(long step) {
        // No hooks at all: every step can take the training kernel (SparseTraining.sparseKernel).
        return false;
    }

    @Override
    public String describe() {
        return "dense";
    }
}
