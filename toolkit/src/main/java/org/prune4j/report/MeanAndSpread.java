package org.prune4j.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Repeated measurements of one setting (one method at one target sparsity, several seeds) reduced to a
 * mean and a sample standard deviation, which a trade-off chart draws as a point with an error bar.
 *
 * @param label    the setting's series name, such as the method
 * @param sparsity mean measured sparsity over the seeds
 * @param mean     mean test accuracy over the seeds
 * @param sd       sample standard deviation of the test accuracy ({@code n - 1} in the denominator); 0 for one seed
 * @param n        number of seeds
 */
public record MeanAndSpread(String label, double sparsity, double mean, double sd, int n) {

    /** One measurement: a series label, the setting's key within the series, the sparsity and the accuracy. */
    public record Sample(String label, double key, double sparsity, double accuracy) {}

    /**
     * Groups samples by label and key (the target sparsity: seeds of one setting land on slightly different
     * measured sparsities) and reduces each group; labels keep the order of their first sample, points
     * within a label are sorted by sparsity.
     */
    public static Map<String, List<MeanAndSpread>> of(List<Sample> samples) {
        Map<String, Map<Double, List<Sample>>> groups = new LinkedHashMap<>();
        for (Sample sample : samples) {
            groups.computeIfAbsent(sample.label(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(sample.key(), k -> new ArrayList<>()).add(sample);
        }
        Map<String, List<MeanAndSpread>> out = new LinkedHashMap<>();
        groups.forEach((label, byKey) -> {
            List<MeanAndSpread> points = new ArrayList<>();
            byKey.values().forEach(group -> points.add(reduce(label, group)));
            points.sort((a, b) -> Double.compare(a.sparsity(), b.sparsity()));
            out.put(label, List.copyOf(points));
        });
        return out;
    }

    private static MeanAndSpread reduce(String label, List<Sample> group) {
        int n = group.size();
        double sparsity = group.stream().mapToDouble(Sample::sparsity).average().orElseThrow();
        double mean = group.stream().mapToDouble(Sample::accuracy).average().orElseThrow();
        double squares = group.stream().mapToDouble(s -> (s.accuracy() - mean) * (s.accuracy() - mean)).sum();
        return new MeanAndSpread(label, sparsity, mean, n > 1 ? Math.sqrt(squares / (n - 1)) : 0.0, n);
    }
}
