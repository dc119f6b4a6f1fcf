package org.prune4j.flops;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The FLOPs of a trained run: per-layer inference cost (dense and at the final densities) and the
 * training cost of the whole run from its density trace (see {@link Flops}).
 *
 * @param layers                 dense cost per layer, input to output
 * @param trace                  layer densities at the start ({@code trace[0]}) and after every epoch
 * @param examplesPerEpoch       training examples per epoch
 * @param denseGradientInterval  steps between dense-gradient steps, 0 for none
 */
public record FlopsReport(List<LayerFlops> layers, List<double[]> trace, long examplesPerEpoch,
                          long denseGradientInterval) {

    /** Validates and copies. */
    public FlopsReport {
        layers = List.copyOf(layers);
        List<double[]> copy = new ArrayList<>();
        for (double[] row : trace) {
            if (row.length != layers.size()) {
                throw new IllegalArgumentException("a trace row has " + row.length + " densities for "
                        + layers.size() + " layers");
            }
            copy.add(row.clone());
        }
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("the density trace needs at least the starting densities");
        }
        trace = List.copyOf(copy);
    }

    /** The densities at the end of the run. */
    public double[] finalDensities() {
        return trace.get(trace.size() - 1).clone();
    }

    /** Dense inference FLOPs per example. */
    public long inferenceDense() {
        return Flops.denseInference(layers);
    }

    /** Sparse inference FLOPs per example at the final densities. */
    public double inferenceSparse() {
        return Flops.sparseInference(layers, finalDensities());
    }

    /** Training FLOPs of the whole run. */
    public double training() {
        return Flops.training(layers, trace, examplesPerEpoch, denseGradientInterval);
    }

    /** Training FLOPs of the same run trained dense. */
    public double trainingDense() {
        return Flops.denseTraining(layers, trace.size() - 1, examplesPerEpoch);
    }

    /**
     * Table "flops": layer, kind, weights, positions, denseFlops, density, sparseFlops (per example, inference),
     * and a last row "total".
     */
    public Table inference() {
        double[] density = finalDensities();
        Table table = Table.create("flops", StringColumn.create("layer"), StringColumn.create("kind"),
                LongColumn.create("weights"), LongColumn.create("positions"), LongColumn.create("denseFlops"),
                DoubleColumn.create("density"), DoubleColumn.create("sparseFlops"));
        long weights = 0;
        for (int i = 0; i < layers.size(); i++) {
            LayerFlops layer = layers.get(i);
            table.stringColumn("layer").append(layer.layer());
            table.stringColumn("kind").append(layer.kind());
            table.longColumn("weights").append(layer.weights());
            table.longColumn("positions").append(layer.positions());
            table.longColumn("denseFlops").append(layer.denseFlops());
            table.doubleColumn("density").append(density[i]);
            table.doubleColumn("sparseFlops").append(layer.sparseFlops(density[i]));
            weights += layer.weights();
        }
        table.stringColumn("layer").append("total");
        table.stringColumn("kind").append("");
        table.longColumn("weights").append(weights);
        table.longColumn("positions").appendMissing();
        table.longColumn("denseFlops").append(inferenceDense());
        table.doubleColumn("density").append(inferenceSparse() / inferenceDense());
        table.doubleColumn("sparseFlops").append(inferenceSparse());
        return table;
    }

    /**
     * Table "trainingFlops": one row per epoch with the training FLOPs of that epoch, sparse and dense, and
     * their cumulative ratio.
     */
    public Table trainingByEpoch() {
        int epochs = trace.size() - 1;
        Table table = Table.create("trainingFlops", IntColumn.create("epoch"), DoubleColumn.create("flops"),
                DoubleColumn.create("denseFlops"), DoubleColumn.create("cumulativeRatio"));
        double sparseSum = 0;
        double denseSum = 0;
        for (int e = 1; e <= epochs; e++) {
            double sparse = Flops.training(layers, trace.subList(e - 1, e + 1), examplesPerEpoch, denseGradientInterval);
            double dense = Flops.denseTraining(layers, 1, examplesPerEpoch);
            sparseSum += sparse;
            denseSum += dense;
            table.intColumn("epoch").append(e);
            table.doubleColumn("flops").append(sparse);
            table.doubleColumn("denseFlops").append(dense);
            table.doubleColumn("cumulativeRatio").append(sparseSum / denseSum);
        }
        return table;
    }
}
