package org.prune4j.registry;

import org.prune4j.method.SparsityMethod;

import java.util.List;

/**
 * One method in the {@link MethodRegistry}: the name the command line, recipes and sweeps use, one line of
 * help, the settings of its own that it reads, and how it is built from them.
 *
 * @param name     the command-line name, such as {@code gmp}
 * @param summary  one line for help texts and docs
 * @param settings the option names it reads besides the sparsity, in help order
 * @param factory  builds it at a sparsity from settings; null for a runner of several trainings (pgap)
 */
public record MethodEntry(String name, String summary, List<String> settings, Factory factory) {

    /** Builds a method at a sparsity from its settings. */
    @FunctionalInterface
    public interface Factory {
        /**
         * The method.
         *
         * @throws IllegalArgumentException naming a bad or contradictory setting
         */
        SparsityMethod build(double sparsity, MethodSettings settings);
    }

    /** Copies the settings list. */
    public MethodEntry {
        settings = List.copyOf(settings);
    }

    /** Whether it is one training's method ({@code false} for pgap, which runs several trainings). */
    public boolean buildsOneTraining() {
        return factory != null;
    }
}
