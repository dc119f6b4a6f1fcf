package org.prune4j.flops;

/**
 * Implemented by sparsity methods whose steps sometimes need the dense gradient of the weights (RigL's
 * regrowth steps, for example). Training FLOPs count such a step's weight gradient as dense. Methods that
 * do not implement it (dense, static, GMP) are counted sparse throughout.
 */
public interface DenseGradients {

    /** Every how many steps one step needs a dense weight gradient; 0 for never. */
    long denseGradientInterval();
}
