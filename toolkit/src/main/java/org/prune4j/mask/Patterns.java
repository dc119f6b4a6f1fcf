package org.prune4j.mask;

import ai.djl.ndarray.types.Shape;

/** Shape helpers shared by the structured patterns. */
final class Patterns {

    private Patterns() {}

    /** The product of every dimension after the first; the weight must be at least 2-D. */
    static long fanIn(String layer, Shape shape, String pattern) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException("layer '" + layer + "' of shape " + shape + ": the " + pattern
                    + " pattern needs a weight with at least 2 dimensions");
        }
        return shape.size() / shape.get(0);
    }
}
