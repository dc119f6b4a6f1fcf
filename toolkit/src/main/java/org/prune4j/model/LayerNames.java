package org.prune4j.model;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Readable names for the maskable layers of a model: {@code fc1, fc2, ...} for fully connected layers and
 * {@code conv1, conv2, ...} for convolutions, each kind counted on its own in input-to-output order.
 *
 * <p>DJL names a child by its position and class ({@code 02Linear}, {@code 05Conv2d_01Conv2d}); those
 * names change when a layer without weights (an activation, a pool) is added in front, and they read
 * nothing like the papers' fc1/conv1. Every table, chart, CSV file and summary shows these names instead;
 * the DJL path stays available as {@link MaskedWeight#path()}.
 */
public final class LayerNames {

    /** The kind of a maskable layer, which gives its name's prefix. */
    public enum Kind {
        /** A fully connected (Linear) layer: fc1, fc2, ... */
        FC("fc"),
        /** A convolution: conv1, conv2, ... */
        CONV("conv");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** The name's prefix, {@code fc} or {@code conv}. */
        public String prefix() {
            return prefix;
        }
    }

    private LayerNames() {}

    /**
     * One name per layer, in the given order: the kind's prefix and its 1-based count among layers of that
     * kind so far. {@code [CONV, CONV, FC, FC]} gives {@code [conv1, conv2, fc1, fc2]}.
     */
    public static List<String> of(List<Kind> kinds) {
        Map<Kind, Integer> seen = new EnumMap<>(Kind.class);
        List<String> names = new ArrayList<>(kinds.size());
        for (Kind kind : kinds) {
            int n = seen.merge(kind, 1, Integer::sum);
            names.add(kind.prefix() + n);
        }
        return List.copyOf(names);
    }

    /**
     * The kind of a weight known only by its shape, as in an exported model file: 2-D is fully connected,
     * anything with spatial dimensions a convolution.
     */
    public static Kind kindOfShape(long[] shape) {
        return shape.length <= 2 ? Kind.FC : Kind.CONV;
    }
}
