package org.prune4j.gap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How the maskable layers are split into the K partitions that grow-and-prune grows one at a time
 * (methods.md, "GaP"). A partition is a sorted list of layer indices ({@code SparseModel.weights()} order);
 * the partitions of one round are disjoint and cover every layer.
 *
 * <ul>
 *   <li>{@link #contiguous()} (the default): K runs of consecutive layers, the first {@code n mod K} one
 *       layer longer;</li>
 *   <li>{@link #balanced()}: greedy largest-first by parameter count (each layer, biggest first, joins the
 *       partition with the fewest parameters so far; ties to the lowest index); partitions are ordered by
 *       their first layer;</li>
 *   <li>{@link #random()}: a fresh shuffle every round, cut like contiguous; the first partition of a new
 *       round is never the set grown last in the previous round (it is rotated away if drawn), so no layer
 *       set grows twice in a row;</li>
 *   <li>{@link #explicit(List)}: given by layer names; every layer in exactly one partition.</li>
 * </ul>
 */
public abstract class Partitioning {

    private Partitioning() {}

    /** K runs of consecutive layers. */
    public static Partitioning contiguous() {
        return new Contiguous();
    }

    /** Partitions of nearly equal parameter counts (greedy, largest layer first). */
    public static Partitioning balanced() {
        return new Balanced();
    }

    /** A new random split every round, never starting with the previous round's last grown set. */
    public static Partitioning random() {
        return new RandomSplit();
    }

    /** Partitions given by layer names, in growing order. */
    public static Partitioning explicit(List<List<String>> groups) {
        return new Explicit(groups);
    }

    /**
     * A strategy by command-line name.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Partitioning parse(String name) {
        switch (name) {
            case "contiguous":
                return contiguous();
            case "balanced":
                return balanced();
            case "random":
                return random();
            default:
                throw new IllegalArgumentException("unknown partitioning '" + name
                        + "': expected contiguous, balanced or random");
        }
    }

    /** The name for tables and logs. */
    public abstract String name();

    /** Whether {@link #split} gives a new answer each round. */
    public boolean redrawsEachRound() {
        return false;
    }

    /** The number of partitions this strategy imposes, or 0 when K is free. */
    public int fixedCount() {
        return 0;
    }

    /**
     * The partitions for one round.
     *
     * @param names        layer names, input to output
     * @param sizes        parameters per layer, same order
     * @param k            number of partitions
     * @param random       the source for random splits
     * @param lastGrown    the set grown last in the previous round, or an empty list
     * @throws IllegalArgumentException when K is below 1 or above the number of layers, or names are unknown
     */
    public abstract List<List<Integer>> split(List<String> names, long[] sizes, int k, Random random,
                                              List<Integer> lastGrown);

    static void checkCount(int k, int layers) {
        if (k < 1) {
            throw new IllegalArgumentException("partitions " + k + " must be at least 1");
        }
        if (k > layers) {
            throw new IllegalArgumentException("partitions " + k + " exceed the " + layers
                    + " maskable layers: expected 1 to " + layers);
        }
    }

    /** Cuts {@code order} into K consecutive runs, the first {@code n mod K} one longer; each run sorted. */
    static List<List<Integer>> cut(List<Integer> order, int k) {
        int n = order.size();
        List<List<Integer>> groups = new ArrayList<>();
        int start = 0;
        for (int g = 0; g < k; g++) {
            int length = n / k + (g < n % k ? 1 : 0);
            List<Integer> group = new ArrayList<>(order.subList(start, start + length));
            Collections.sort(group);
            groups.add(List.copyOf(group));
            start += length;
        }
        return List.copyOf(groups);
    }

    static List<Integer> range(int n) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        return order;
    }

    @Override
    public String toString() {
        return name();
    }

    private static final class Contiguous extends Partitioning {
        @Override
        public String name() {
            return "contiguous";
        }

        @Override
        public List<List<Integer>> split(List<String> names, long[] sizes, int k, Random random, List<Integer> lastGrown) {
            checkCount(k, names.size());
            return cut(range(names.size()), k);
        }
    }

    private static final class Balanced extends Partitioning {
        @Override
        public String name() {
            return "balanced";
        }

        @Override
        public List<List<Integer>> split(List<String> names, long[] sizes, int k, Random random, List<Integer> lastGrown) {
            checkCount(k, names.size());
            Integer[] bySize = range(names.size()).toArray(new Integer[0]);
            Arrays.sort(bySize, (a, b) -> sizes[a] != sizes[b] ? Long.compare(sizes[b], sizes[a]) : Integer.compare(a, b));
            List<List<Integer>> groups = new ArrayList<>();
            long[] totals = new long[k];
            for (int g = 0; g < k; g++) {
                groups.add(new ArrayList<>());
            }
            for (int layer : bySize) {
                int lightest = 0;
                for (int g = 1; g < k; g++) {
                    if (totals[g] < totals[lightest]) {
                        lightest = g;
                    }
                }
                groups.get(lightest).add(layer);
                totals[lightest] += sizes[layer];
            }
            groups.forEach(Collections::sort);
            groups.sort((a, b) -> Integer.compare(a.get(0), b.get(0)));
            return groups.stream().map(List::copyOf).toList();
        }
    }

    private static final class RandomSplit extends Partitioning {
        @Override
        public String name() {
            return "random";
        }

        @Override
        public boolean redrawsEachRound() {
            return true;
        }

        @Override
        public List<List<Integer>> split(List<String> names, long[] sizes, int k, Random random, List<Integer> lastGrown) {
            checkCount(k, names.size());
            List<Integer> order = range(names.size());
            Collections.shuffle(order, random);
            List<List<Integer>> groups = new ArrayList<>(cut(order, k));
            if (k > 1 && groups.get(0).equals(lastGrown)) {
                // Rotating puts a disjoint (so different) set first; the draw stays otherwise intact.
                Collections.rotate(groups, -1);
            }
            return List.copyOf(groups);
        }
    }

    private static final class Explicit extends Partitioning {
        private final List<List<String>> groups;

        Explicit(List<List<String>> groups) {
            if (groups == null || groups.isEmpty()) {
                throw new IllegalArgumentException("explicit partitioning needs at least one group of layer names");
            }
            for (List<String> group : groups) {
                if (group == null || group.isEmpty()) {
                    throw new IllegalArgumentException("explicit partitioning has an empty group: " + groups);
                }
            }
            this.groups = groups.stream().map(List::copyOf).toList();
        }

        @Override
        public String name() {
            return "explicit " + groups;
        }

        @Override
        public int fixedCount() {
            return groups.size();
        }

        @Override
        public List<List<Integer>> split(List<String> names, long[] sizes, int k, Random random, List<Integer> lastGrown) {
            checkCount(k, names.size());
            if (k != groups.size()) {
                throw new IllegalArgumentException("partitions " + k + " differ from the " + groups.size()
                        + " explicit groups " + groups);
            }
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                index.put(names.get(i), i);
            }
            Map<Integer, Integer> owner = new HashMap<>();
            List<List<Integer>> result = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                List<Integer> group = new ArrayList<>();
                for (String name : groups.get(g)) {
                    Integer layer = index.get(name);
                    if (layer == null) {
                        throw new IllegalArgumentException("unknown layer '" + name + "' in explicit partitioning: expected one of " + names);
                    }
                    Integer previous = owner.put(layer, g);
                    if (previous != null) {
                        throw new IllegalArgumentException("layer '" + name + "' is in partitions " + previous + " and " + g
                                + ": each layer belongs to exactly one");
                    }
                    group.add(layer);
                }
                Collections.sort(group);
                result.add(List.copyOf(group));
            }
            for (int i = 0; i < names.size(); i++) {
                if (!owner.containsKey(i)) {
                    throw new IllegalArgumentException("layer '" + names.get(i) + "' is in no explicit partition " + groups);
                }
            }
            return List.copyOf(result);
        }
    }
}
