package org.prune4j.mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Unstructured sparsity: any subset of weights may be kept. */
final class Unstructured implements Pattern {

    static final Unstructured INSTANCE = new Unstructured();

    private Unstructured() {}

    @Override
    public String name() {
        return "unstructured";
    }

    @Override
    public long keepCount(Shape shape, double density) {
        return Math.round(density * shape.size());
    }

    @Override
    public NDArray select(NDArray scores, long keep) {
        return TopK.mask(scores, keep);
    }

    @Override
    public String toString() {
        return name();
    }
}
