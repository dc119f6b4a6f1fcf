package org.prune4j.bench;

import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * The 54 maskable weight shapes of ResNet-50 (He et al. 2016, torchvision layout): a 7x7 stem, 16
 * bottlenecks in stages of 3, 4, 6 and 3 (1x1, 3x3, 1x1 convolutions, a 1x1 projection in each stage's
 * first block) and a 1000-way classifier; 25,502,912 weights at full width. Narrower copies scale every
 * channel count by one width factor, so a pruning benchmark can run the same mix of tensor sizes at other
 * totals.
 */
final class ResNet50Shapes {

    private static final int[] BLOCKS = {3, 4, 6, 3};
    private static final int[] WIDTHS = {64, 128, 256, 512};
    private static final int STEM = 64;
    private static final int EXPANSION = 4;
    private static final int CLASSES = 1000;

    private ResNet50Shapes() {}

    /** The shapes with every channel count times {@code width} (rounded, at least 1); 1 gives ResNet-50 itself. */
    static List<Shape> atWidth(double width) {
        List<Shape> shapes = new ArrayList<>();
        long in = channels(STEM, width);
        shapes.add(new Shape(in, 3, 7, 7));
        for (int stage = 0; stage < BLOCKS.length; stage++) {
            long mid = channels(WIDTHS[stage], width);
            long out = EXPANSION * mid;
            for (int block = 0; block < BLOCKS[stage]; block++) {
                shapes.add(new Shape(mid, in, 1, 1));
                shapes.add(new Shape(mid, mid, 3, 3));
                shapes.add(new Shape(out, mid, 1, 1));
                if (block == 0) {
                    shapes.add(new Shape(out, in, 1, 1));
                }
                in = out;
            }
        }
        shapes.add(new Shape(CLASSES, in));
        return shapes;
    }

    /** The width whose shapes hold the total nearest to {@code weights} (found by bisection on the width). */
    static List<Shape> withTotal(long weights) {
        if (weights < total(atWidth(0))) {
            throw new IllegalArgumentException("a ResNet-50-shaped set needs at least " + total(atWidth(0))
                    + " weights, got " + weights);
        }
        double low = 0;
        double high = 1;
        while (total(atWidth(high)) < weights) {
            high *= 2;
        }
        for (int i = 0; i < 60; i++) {
            double mid = (low + high) / 2;
            if (total(atWidth(mid)) < weights) {
                low = mid;
            } else {
                high = mid;
            }
        }
        List<Shape> below = atWidth(low);
        List<Shape> above = atWidth(high);
        return weights - total(below) <= total(above) - weights ? below : above;
    }

    /** The number of weights in a list of shapes. */
    static long total(List<Shape> shapes) {
        return shapes.stream().mapToLong(Shape::size).sum();
    }

    private static long channels(int base, double width) {
        return Math.max(1, Math.round(base * width));
    }
}
