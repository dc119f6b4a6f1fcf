package org.prune4j.train;

import org.knowm.xchart.XYChart;
import org.prune4j.report.Charts;
import org.prune4j.report.Formats;
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
                column("denseAtPruning", Row::denseAtPruning),
                column("denseAfterRecovery", Row::denseAfterRecovery),
                column("withoutRegeneration", Row::withoutRegeneration),
                column("withRegeneration", Row::withRegeneration),
                column("plasticity", Row::plasticity),
                column("plasticityWithRegeneration", Row::plasticityWithRegeneration),
                column("sparsityWithout", Row::sparsityWithout),
                column("sparsityWith", Row::sparsityWith));
        return table;
    }

    /** One value per row, printed with 4 decimals (the CSV keeps every digit). */
    private DoubleColumn column(String name, java.util.function.ToDoubleFunction<Row> value) {
        return Formats.fixed(DoubleColumn.create(name, rows.stream().mapToDouble(value).toArray()), 4);
    }

    /** Plasticity (accuracy change against the dense model at the prune) over the epoch of pruning. */
    public XYChart chart() {
        return chart(null);
    }

    /**
     * The same chart, its title naming what was trained first ({@code "lenet300 on mnist"}), so a saved picture says
     * what it shows; null leaves it out.
     */
    public XYChart chart(String trained) {
        double[] x = rows.stream().mapToDouble(Row::pruneEpoch).toArray();
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("without regeneration", rows.stream().mapToDouble(Row::plasticity).toArray());
        series.put("with neuroregeneration", rows.stream().mapToDouble(Row::plasticityWithRegeneration).toArray());
        String title = "Pruning plasticity at sparsity " + sparsity + ", " + recoveryEpochs + " epochs to recover";
        return Charts.series(trained == null ? title : trained + ": " + title.substring(0, 1).toLowerCase(java.util.Locale.ROOT)
                        + title.substring(1),
                "epoch of pruning", "test accuracy - dense accuracy at pruning", x, series);
    }
}
