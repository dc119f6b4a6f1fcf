package org.prune4j.train;

import org.knowm.xchart.XYChart;
import org.prune4j.report.Charts;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a {@link Plasticity} analysis: one row per epoch of pruning, as a table and as the paper's
 * chart (plasticity against the epoch of pruning, with and without neuroregeneration).
 *
 * @param sparsity       the one-shot sparsity
 * @param recoveryEpochs k, the epochs trained after the prune
 * @param rows           one per epoch of pruning, ascending
 */
public record PlasticityResult(double sparsity, int recoveryEpochs, List<Row> rows) {

    /**
     * One epoch of pruning.
     *
     * @param pruneEpoch          e: the dense epochs before the prune
     * @param denseAtPruning      the dense run's test accuracy after epoch e
     * @param denseAfterRecovery  the dense run's test accuracy after epoch e + k
     * @param withoutRegeneration test accuracy after e + k epochs, mask fixed after the prune
     * @param withRegeneration    the same with GraNet's drop-and-regrow after the prune
     * @param sparsityWithout     measured sparsity of the run without regeneration
     * @param sparsityWith        measured sparsity of the run with regeneration
     */
    public record Row(int pruneEpoch, double denseAtPruning, double denseAfterRecovery, double withoutRegeneration,
                      double withRegeneration, double sparsityWithout, double sparsityWith) {

        /** Recovered accuracy minus the dense accuracy at the epoch of pruning, mask fixed. */
        public double plasticity() {
            return withoutRegeneration - denseAtPruning;
        }

        /** The same with neuroregeneration. */
        public double plasticityWithRegeneration() {
            return withRegeneration - denseAtPruning;
        }
    }

    public PlasticityResult {
        rows = List.copyOf(rows);
    }

    /** The rows as a table: the accuracies, both plasticities and the measured sparsities. */
    public Table table() {
        Table table = Table.create("plasticity at sparsity " + sparsity + ", k = " + recoveryEpochs,
                IntColumn.create("pruneEpoch", rows.stream().mapToInt(Row::pruneEpoch).toArray()),
                DoubleColumn.create("denseAtPruning", rows.stream().mapToDouble(Row::denseAtPruning).toArray()),
                DoubleColumn.create("denseAfterRecovery", rows.stream().mapToDouble(Row::denseAfterRecovery).toArray()),
                DoubleColumn.create("withoutRegeneration", rows.stream().mapToDouble(Row::withoutRegeneration).toArray()),
                DoubleColumn.create("withRegeneration", rows.stream().mapToDouble(Row::withRegeneration).toArray()),
                DoubleColumn.create("plasticity", rows.stream().mapToDouble(Row::plasticity).toArray()),
                DoubleColumn.create("plasticityWithRegeneration",
                        rows.stream().mapToDouble(Row::plasticityWithRegeneration).toArray()),
                DoubleColumn.create("sparsityWithout", rows.stream().mapToDouble(Row::sparsityWithout).toArray()),
                DoubleColumn.create("sparsityWith", rows.stream().mapToDouble(Row::sparsityWith).toArray()));
        return table;
    }

    /** Plasticity (accuracy change against the dense model at the prune) over the epoch of pruning. */
    public XYChart chart() {
        double[] x = rows.stream().mapToDouble(Row::pruneEpoch).toArray();
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("without regeneration", rows.stream().mapToDouble(Row::plasticity).toArray());
        series.put("with neuroregeneration", rows.stream().mapToDouble(Row::plasticityWithRegeneration).toArray());
        return Charts.series("Pruning plasticity at sparsity " + sparsity + ", " + recoveryEpochs + " epochs to recover",
                "epoch of pruning", "test accuracy - dense accuracy at pruning", x, series);
    }
}
