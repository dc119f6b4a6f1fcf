package org.prune4j.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Which path each layer of a run took through the training kernel at its last kernel step: {@code "sparse"} (kept
 * weights only) or {@code "dense"} (the BLAS), and the crossover density that decided it. Why in the results: the two
 * paths agree within float rounding, not bit for bit, and differ in speed, so a reader comparing two runs' figures
 * or timings needs to see which ran (docs/cli.md, "Sparse training steps and threads").
 *
 * @param crossoverDensity the kept fraction from which a layer ran dense, in (0, 1]
 * @param layers           each layer's path, in the model's order, under the layer names of layers.csv
 */
public record KernelPaths(double crossoverDensity, Map<String, String> layers) {

    /** The path names, as summary.json writes them. */
    public static final String SPARSE = "sparse";
    /** The path names, as summary.json writes them. */
    public static final String DENSE = "dense";

    /** Validates the crossover and that every layer names one of the two paths; keeps the layers' order. */
    public KernelPaths {
        if (!(crossoverDensity > 0 && crossoverDensity <= 1)) {
            throw new IllegalArgumentException("crossover density " + crossoverDensity + " is outside (0, 1]");
        }
        Objects.requireNonNull(layers, "layers");
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no layers: expected the path of every layer the kernel trained");
        }
        layers.forEach((layer, path) -> {
            if (!SPARSE.equals(path) && !DENSE.equals(path)) {
                throw new IllegalArgumentException("layer " + layer + " took path '" + path + "': expected "
                        + SPARSE + " or " + DENSE);
            }
        });
        layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
    }

    /** One phrase for the run's summary line, for example {@code training kernel: fc1 sparse, fc2 dense}. */
    public String describe() {
        return "training kernel: " + layers.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
