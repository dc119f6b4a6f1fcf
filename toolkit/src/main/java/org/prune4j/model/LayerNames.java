package org.prune4j.model;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readable names for the maskable layers of a model: {@code fc1, fc2, ...} for fully connected layers and
 * {@code conv1, conv2, ...} for convolutions, each kind counted on its own in input-to-output order.
 *
 * <p>DJL names a child by its position and class ({@code 02Linear}, {@code 05Conv2d_01Conv2d}); those
 * names change when a layer without weights (an activation, a pool) is added in front, and they read
 * nothing like the papers' fc1/conv1. Every table, chart, CSV file and summary shows these names instead;
 * the DJL path stays available as {@link MaskedWeight#path()}.
 *
 * <p>A Transformer's layers are named by their role instead, as BERT's code names them: {@code enc1.query},
 * {@code enc1.key}, {@code enc1.value}, {@code enc1.out} (the attention's output projection), {@code enc1.ff1},
 * {@code enc1.ff2} for encoder layer 1, {@code classifier}, and {@code embedding} for the token embedding;
 * see {@link #of(List, List)}.
 */
public final class LayerNames {

    /** The kind of a maskable layer, which gives its name's prefix. */
    public enum Kind {
        /** A fully connected (Linear) layer: fc1, fc2, ... */
        FC("fc"),
        /** A convolution: conv1, conv2, ... */
        CONV("conv"),
        /** An embedding table (token id to vector): embedding1, ...; BERT's token embedding is {@code embedding}. */
        EMBEDDING("embedding");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** The name's prefix, {@code fc}, {@code conv} or {@code embedding}. */
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

    // DJL's paths of the zoo's BERT layers: 03encoder1_01attention_02queryProjection, 03encoder1_04feedForward_01Linear.
    private static final Pattern PROJECTION =
            Pattern.compile("(?:^|_)\\d+encoder(\\d+)_\\d+attention_\\d+(key|query|value|result)Projection$");
    private static final Pattern FEED_FORWARD = Pattern.compile("(?:^|_)\\d+encoder(\\d+)_\\d+feedForward_\\d+Linear$");
    private static final Pattern CLASSIFIER = Pattern.compile("(?:^|_)\\d+classifier$");
    private static final Pattern TOKEN_EMBEDDING = Pattern.compile("(?:^|_)\\d+tokenEmbedding$");

    /**
     * Names from the layers' DJL paths and kinds: a Transformer layer gets its role's name ({@code enc2.value},
     * {@code enc1.ff2}, {@code classifier}, {@code embedding}); every other layer is named as {@link #of(List)} names it, counted
     * over the other layers only. Without Transformer layers this is exactly {@link #of(List)}.
     */
    public static List<String> of(List<Kind> kinds, List<String> paths) {
        if (kinds.size() != paths.size()) {
            throw new IllegalArgumentException(kinds.size() + " kinds but " + paths.size() + " paths");
        }
        List<String> names = new ArrayList<>(kinds.size());
        List<Integer> others = new ArrayList<>();
        Map<String, Integer> feedForwardSeen = new HashMap<>();
        for (int i = 0; i < kinds.size(); i++) {
            String path = paths.get(i);
            Matcher projection = PROJECTION.matcher(path);
            Matcher feedForward = FEED_FORWARD.matcher(path);
            if (projection.find()) {
                String role = projection.group(2).equals("result") ? "out" : projection.group(2);
                names.add("enc" + projection.group(1) + "." + role);
            } else if (feedForward.find()) {
                int n = feedForwardSeen.merge(feedForward.group(1), 1, Integer::sum);
                names.add("enc" + feedForward.group(1) + ".ff" + n);
            } else if (CLASSIFIER.matcher(path).find()) {
                names.add("classifier");
            } else if (TOKEN_EMBEDDING.matcher(path).find()) {
                names.add("embedding");
            } else {
                names.add(null);
                others.add(i);
            }
        }
        List<String> counted = of(others.stream().map(kinds::get).toList());
        for (int j = 0; j < others.size(); j++) {
            names.set(others.get(j), counted.get(j));
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
