package org.prune4j.report;

import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Several runs of one recipe side by side over training: test accuracy per epoch on the left axis and the
 * model's sparsity (dashed) on the right, from a long table with one row per run and epoch (columns
 * {@code setting}, {@code epoch}, {@code testAccuracy}, {@code sparsity}, as the runs' history.csv files
 * stacked with a setting column). Made for what one number per method hides: where a schedule costs accuracy,
 * for example C-GaP's fall at each prune-back, when a partition grown dense is cut back to the target.
 */
public final class EpochCurves {

    private EpochCurves() {}

    /**
     * The chart, one accuracy and one sparsity series per setting, in the table's order of settings.
     *
     * @throws IllegalArgumentException if a column is missing, the table is empty, or the settings' epochs
     *     differ (every run must have the same epochs, 1..E)
     */
    public static XYChart chart(String title, Table history) {
        for (String column : List.of("setting", "epoch", "testAccuracy", "sparsity")) {
            if (!history.columnNames().contains(column)) {
                throw new IllegalArgumentException("the history table has no column '" + column + "': expected"
                        + " setting, epoch, testAccuracy, sparsity (got " + history.columnNames() + ")");
            }
        }
        if (history.rowCount() == 0) {
            throw new IllegalArgumentException("the history table has no rows");
        }
        Map<String, double[]> accuracy = new LinkedHashMap<>();
        Map<String, double[]> sparsity = new LinkedHashMap<>();
        double[] epochs = null;
        for (String setting : new LinkedHashSet<>(history.stringColumn("setting").asList())) {
            Table run = history.where(history.stringColumn("setting").isEqualTo(setting)).sortAscendingOn("epoch");
            double[] runEpochs = run.numberColumn("epoch").asDoubleArray();
            if (epochs == null) {
                epochs = runEpochs;
            } else if (!Arrays.equals(epochs, runEpochs)) {
                throw new IllegalArgumentException("setting " + setting + " has " + runEpochs.length
                        + " epochs where the first setting has " + epochs.length + ": every run needs the same epochs");
            }
            accuracy.put(setting + " accuracy", run.numberColumn("testAccuracy").asDoubleArray());
            sparsity.put(setting + " sparsity", run.numberColumn("sparsity").asDoubleArray());
        }
        return Charts.twoAxes(title, "epoch", epochs, "test accuracy", accuracy, "model sparsity", sparsity);
    }
}
