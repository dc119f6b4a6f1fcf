package org.prune4j.mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/**
 * BlockPattern sparsity: the 2-D view of a weight, (out, fan-in) as for {@link NofM}, is cut into tiles of
 * {@code rows} x {@code cols}; whole tiles are kept, chosen by the sum of their scores, at an exact
 * number of tiles. Both dimensions of the view must be multiples of the tile's.
 */
public final class BlockPattern implements Pattern {

    private final int rows;
    private final int cols;

    /**
     * Tiles of {@code rows} x {@code cols}.
     *
     * @throws IllegalArgumentException unless both are >= 1
     */
    public BlockPattern(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("block pattern " + rows + "x" + cols + " needs tiles of at least 1x1");
        }
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    public String name() {
        return "block:" + rows + "x" + cols;
    }

    @Override
    public void validate(String layer, Shape shape) {
        long fanIn = Patterns.fanIn(layer, shape, name());
        if (shape.get(0) % rows != 0 || fanIn % cols != 0) {
            throw new IllegalArgumentException("layer '" + layer + "' of shape " + shape + " (2-D view " + shape.get(0)
                    + "x" + fanIn + ") is not tiled by " + rows + "x" + cols + " blocks: expected rows divisible by " + rows
                    + " and a fan-in divisible by " + cols);
        }
    }

    @Override
    public long keepCount(Shape shape, double density) {
        validate("?", shape);
        long tiles = shape.size() / ((long) rows * cols);
        long kept = Math.round(density * tiles);
        if (density > 0 && kept == 0) {
            kept = 1;
        }
        return Math.min(tiles, kept) * rows * cols;
    }

    @Override
    public NDArray select(NDArray scores, long keep) {
        Shape shape = scores.getShape();
        validate("?", shape);
        TopK.checkKeep(keep, shape.size());
        long tileSize = (long) rows * cols;
        if (keep % tileSize != 0) {
            throw new IllegalArgumentException("the " + name() + " pattern keeps whole tiles of " + tileSize
                    + " weights (shape " + shape + "), not " + keep);
        }
        long r = shape.get(0) / rows;
        long c = shape.size() / shape.get(0) / cols;
        NDArray result;
        try (NDScope ignored = new NDScope()) {
            NDArray tiles = scores.reshape(r, rows, c, cols).sum(new int[] {1, 3});
            NDArray kept = TopK.mask(tiles, keep / tileSize);
            result = kept.reshape(r, 1, c, 1).broadcast(new Shape(r, rows, c, cols)).reshape(shape).duplicate();
            NDScope.unregister(result);
        }
        return result;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockPattern other && other.rows == rows && other.cols == cols;
    }

    @Override
    public int hashCode() {
        return 31 * rows + cols;
    }

    @Override
    public String toString() {
        return name();
    }
}
