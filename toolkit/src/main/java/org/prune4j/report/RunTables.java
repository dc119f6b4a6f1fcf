package org.prune4j.report;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;

/**
 * A {@link Run} as Tablesaw tables: its history, its layers and its mask updates, with the column formats that
 * every printed table and CSV file of the project shares. Pure functions of the run.
 */
final class RunTables {

    private RunTables() {}

    /** The history as a table named "history": epoch (int), loss, trainAccuracy, testAccuracy, sparsity, lr, seconds. */
    static Table history(Run run) {
        List<EpochStats> history = run.historyRows();
        int n = history.size();
        int[] epoch = new int[n];
        double[] loss = new double[n];
        double[] train = new double[n];
        double[] test = new double[n];
        double[] sparsity = new double[n];
        double[] lr = new double[n];
        double[] seconds = new double[n];
        for (int i = 0; i < n; i++) {
            EpochStats row = history.get(i);
            epoch[i] = row.epoch();
            loss[i] = row.loss();
            train[i] = row.trainAccuracy();
            test[i] = row.testAccuracy();
            sparsity[i] = row.sparsity();
            lr[i] = row.learningRate();
            seconds[i] = row.seconds();
        }
        return Table.create("history",
                IntColumn.create("epoch", epoch),
                Formats.fixed(DoubleColumn.create("loss", loss), 4),
                Formats.fixed(DoubleColumn.create("trainAccuracy", train), 4),
                Formats.fixed(DoubleColumn.create("testAccuracy", test), 4),
                Formats.fixed(DoubleColumn.create("sparsity", sparsity), 4),
                Formats.compact(DoubleColumn.create("lr", lr), 6),
                Formats.fixed(DoubleColumn.create("seconds", seconds), 2));
    }

    /**
     * The masked weights as a table named "layers": layer, shape (like {@code "300x784"}), parameters (long),
     * nonzeros (long), density. The last row, layer {@code "total"} with an empty shape, sums all weights.
     */
    static Table layers(Run run) {
        List<LayerStats> layers = run.layerRows();
        int n = layers.size();
        String[] name = new String[n + 1];
        String[] shape = new String[n + 1];
        long[] parameters = new long[n + 1];
        long[] nonzeros = new long[n + 1];
        double[] density = new double[n + 1];
        for (int i = 0; i < n; i++) {
            LayerStats row = layers.get(i);
            name[i] = row.layer();
            shape[i] = row.shapeText();
            parameters[i] = row.parameters();
            nonzeros[i] = row.nonzeros();
            density[i] = row.density();
            parameters[n] += row.parameters();
            nonzeros[n] += row.nonzeros();
        }
        name[n] = "total";
        shape[n] = "";
        density[n] = parameters[n] == 0 ? Double.NaN : (double) nonzeros[n] / parameters[n];
        return Table.create("layers",
                StringColumn.create("layer", name),
                StringColumn.create("shape", shape),
                LongColumn.create("parameters", parameters),
                LongColumn.create("nonzeros", nonzeros),
                Formats.fixed(DoubleColumn.create("density", density), 4));
    }

    /**
     * The mask updates as a table named "masks": step, epoch, sparsity (of the masked weights after the
     * update), dropped, regrown, survived, then the weights kept per layer, one column per layer name.
     */
    static Table maskUpdates(Run run) {
        List<LayerStats> layers = run.layerRows();
        long total = layers.stream().mapToLong(LayerStats::parameters).sum();
        Table table = Table.create("masks", LongColumn.create("step"), DoubleColumn.create("epoch"),
                DoubleColumn.create("sparsity"), LongColumn.create("dropped"), LongColumn.create("regrown"),
                LongColumn.create("survived"));
        for (LayerStats layer : layers) {
            table.addColumns(LongColumn.create(layer.layer()));
        }
        for (MaskUpdate update : run.maskUpdates()) {
            table.longColumn("step").append(update.step());
            table.doubleColumn("epoch").append(update.epoch());
            table.doubleColumn("sparsity").append(total == 0 ? 0.0 : 1.0 - (double) update.keptTotal() / total);
            table.longColumn("dropped").append(update.dropped());
            table.longColumn("regrown").append(update.regrown());
            table.longColumn("survived").append(update.survived());
            long[] kept = update.kept();
            for (int i = 0; i < layers.size(); i++) {
                table.longColumn(layers.get(i).layer()).append(kept[i]);
            }
        }
        Formats.fixed(table.doubleColumn("epoch"), 3);
        Formats.fixed(table.doubleColumn("sparsity"), 4);
        return table;
    }
}
