package org.prune4j.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import org.prune4j.export.CompressedModel;
import org.prune4j.export.ExportReport;
import org.prune4j.export.ModelHeader;
import org.prune4j.infer.InferenceCostModel;
import org.prune4j.infer.Predictor;
import org.prune4j.infer.SparseInference;
import org.prune4j.mask.TopK;
import org.prune4j.model.SparseModel;
import org.prune4j.nn.Models;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ./prune4j bench-export}: file size and CPU inference latency of magnitude-pruned MLPs, measured
 * side by side in one JVM. Weights are the models' initial weights pruned by magnitude per layer (size and
 * speed depend on the sparsity pattern's density, not on training).
 */
public final class ExportBenchmark {

    private ExportBenchmark() {}

    /** A model of the benchmark: LeNet-300-100 from the zoo, or the wide MLP 784-2048-2048-10. */
    public static Model model(String name, double sparsity, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Block block = Models.byName(name, 10);
        Model model = Model.newInstance(name);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
        prune(block, sparsity);
        return model;
    }

    /**
     * Zeroes the smallest-magnitude {@code sparsity} share of every weight of rank 2 and more, on its device:
     * the toolkit's own exact top-k mask (ties broken by position, so the count is exact) and in-place masking,
     * which leaves +0.0 where it prunes.
     */
    public static void prune(Block block, double sparsity) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            NDArray array = pair.getValue().getArray();
            long drop = Math.round(sparsity * array.size());
            if (array.getShape().dimension() < 2 || drop <= 0) {
                continue;
            }
            try (NDScope ignored = new NDScope(); NDArray keep = TopK.mask(array.abs(), array.size() - drop)) {
                SparseModel.applyMask(array, keep);
            }
        }
    }

    /** Random inputs in [0, 1) for {@code batch} 28x28 images. */
    static float[] inputs(int batch, long seed) {
        float[] input = new float[batch * 784];
        Random random = new Random(seed);
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextFloat();
        }
        return input;
    }

    /**
     * Median wall milliseconds of the dense and the planned path on one input, interleaved A B B A so that
     * load bursts hit both; 10% of the repeats (at least 20) first as warm-up.
     *
     * @return {dense median ms, planned median ms}
     */
    public static double[] latency(Predictor inference, float[] input, int batch, int repeats) {
        return medians(repeats, () -> inference.predictDense(input, batch), () -> inference.predict(input, batch));
    }

    /**
     * {@link #latency(Predictor, float[], int, int)} on {@code batch} random 28x28 images drawn from
     * {@code seed}: the image models' latency without a dataset at hand (notebook 07, bench-export).
     *
     * @return {dense median ms, planned median ms}
     */
    public static double[] latency(Predictor inference, int batch, int repeats, long seed) {
        return latency(inference, inputs(batch, seed), batch, repeats);
    }

    /**
     * Median wall milliseconds of each forward, run in turns whose order reverses every repeat (A B C, C B
     * A, ...), after 10% of the repeats (at least 20) of untimed warm-up.
     */
    public static double[] medians(int repeats, Runnable... forwards) {
        List<SideBySide.Variant> variants = new ArrayList<>();
        for (Runnable forward : forwards) {
            variants.add(units -> {
                for (int i = 0; i < units; i++) {
                    forward.run();
                }
                return 0;
            });
        }
        SideBySide.nanosPerUnit(variants, Math.max(20, repeats / 10), 1, 1);
        double[][] nanos = SideBySide.nanosPerUnit(variants, repeats, 1, 1);
        return Arrays.stream(nanos).mapToDouble(perRepeat -> BenchTable.median(perRepeat) / 1e6).toArray();
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** Runs the whole benchmark and prints its tables. */
    public static void run(int repeats, PrintStream out) throws IOException {
        Path dir = Files.createTempDirectory("prune4j-bench-export");
        Table sizes = Table.create("size", StringColumn.create("model"), DoubleColumn.create("sparsity"),
                DoubleColumn.create("denseParamsKB"), DoubleColumn.create("gzipKB"), DoubleColumn.create("compressedKB"),
                DoubleColumn.create("ratio"), StringColumn.create("encodings"));
        for (String name : new String[] {"lenet300", "mlp2048"}) {
            for (double sparsity : new double[] {0.5, 0.8, 0.9, 0.95, 0.98}) {
                try (Model model = model(name, sparsity, 1)) {
                    Path file = dir.resolve(name + ".p4j");
                    ExportReport report = CompressedModel.write(model.getBlock(),
                            new ModelHeader(name, 10, new long[] {1, 1, 28, 28}, ""), file);
                    sizes.stringColumn("model").append(name);
                    sizes.doubleColumn("sparsity").append(sparsity);
                    sizes.doubleColumn("denseParamsKB").append(report.djlBytes() / 1024.0);
                    sizes.doubleColumn("gzipKB").append(report.djlGzipBytes() / 1024.0);
                    sizes.doubleColumn("compressedKB").append(report.fileBytes() / 1024.0);
                    sizes.doubleColumn("ratio").append(report.ratio());
                    sizes.stringColumn("encodings").append(report.table().stringColumn("encoding")
                            .asList().stream().filter(e -> !e.equals("dense")).reduce((a, b) -> a + ", " + b).orElse("dense"));
                    Files.delete(file);
                }
            }
        }
        Files.delete(dir);
        out.println(sizes.printAll());
        latencies(repeats, out);
    }

    /** Sparsities of the latency table: dense enough to show where sparse stops paying at batch 64. */
    static final double[] LATENCY_SPARSITIES = {0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98};

    /**
     * The latency part of the benchmark: for each model, sparsity and batch (1, 64), the dense forward, the
     * forced-sparse plan and the automatic plan, interleaved; then, per model and batch, the sparsity from
     * which sparse pays (measured) against the one the cost model predicts, and whether the automatic
     * choice followed the measurement.
     */
    public static Table latencies(int repeats, PrintStream out) {
        InferenceCostModel costs = InferenceCostModel.measured();
        out.println("cost model (calibrated in this JVM): " + costs);
        Table speed = Table.create("latency", StringColumn.create("model"), DoubleColumn.create("sparsity"),
                IntColumn.create("batch"), DoubleColumn.create("denseMs"), DoubleColumn.create("sparseMs"),
                DoubleColumn.create("autoMs"), DoubleColumn.create("speedup"), StringColumn.create("autoPath"),
                DoubleColumn.create("autoSpeedup"));
        int[] batches = {1, 64};
        for (String name : new String[] {"lenet300", "mlp2048"}) {
            int n = name.equals("mlp2048") ? Math.max(20, repeats / 5) : repeats;
            for (double sparsity : LATENCY_SPARSITIES) {
                try (Model model = model(name, sparsity, 1)) {
                    long[] shape = {1, 1, 28, 28};
                    SparseInference forced = SparseInference.compile(model.getBlock(), model.getNDManager(), shape, 1.0);
                    SparseInference auto = SparseInference.compile(model.getBlock(), model.getNDManager(), shape, costs);
                    for (int batch : batches) {
                        float[] input = inputs(batch, 7);
                        double[] ms = medians(n, () -> forced.predictDense(input, batch),
                                () -> forced.predict(input, batch), () -> auto.predict(input, batch));
                        speed.stringColumn("model").append(name);
                        speed.doubleColumn("sparsity").append(sparsity);
                        speed.intColumn("batch").append(batch);
                        speed.doubleColumn("denseMs").append(round(ms[0], 4));
                        speed.doubleColumn("sparseMs").append(round(ms[1], 4));
                        speed.doubleColumn("autoMs").append(round(ms[2], 4));
                        speed.doubleColumn("speedup").append(round(ms[0] / ms[1], 2));
                        speed.stringColumn("autoPath").append(auto.pathName(batch));
                        speed.doubleColumn("autoSpeedup").append(round(ms[0] / ms[2], 2));
                        out.println(String.format(Locale.ROOT,
                                "%-8s sparsity %.2f batch %2d: dense %.3f ms, sparse %.3f ms (%.2fx), auto %s %.3f ms (%.2fx)",
                                name, sparsity, batch, ms[0], ms[1], ms[0] / ms[1], auto.pathName(batch), ms[2], ms[0] / ms[2]));
                    }
                }
            }
        }
        out.println(speed.printAll());
        out.println();
        out.println(crossovers(speed, costs).printAll());
        return speed;
    }

    /**
     * Per model and batch: the lowest sparsity of the grid from which the sparse path is faster at every
     * higher grid point (measured), the sparsity from which the cost model picks sparse for the model's
     * largest layer (predicted), and how many grid points the automatic choice got right.
     */
    static Table crossovers(Table speed, InferenceCostModel costs) {
        Table table = Table.create("crossover", StringColumn.create("model"), IntColumn.create("batch"),
                StringColumn.create("sparse pays from (measured)"), DoubleColumn.create("cost model, largest layer"),
                StringColumn.create("auto right"), StringColumn.create("auto wrong at"));
        for (String name : new String[] {"lenet300", "mlp2048"}) {
            int[] largest = name.equals("mlp2048") ? new int[] {2048, 2048} : new int[] {300, 784};
            for (int batch : new int[] {1, 64}) {
                Table rows = speed.where(speed.stringColumn("model").isEqualTo(name)
                        .and(speed.intColumn("batch").isEqualTo(batch)));
                double pays = Double.NaN;
                boolean paysAbove = true;
                int right = 0;
                List<String> wrong = new ArrayList<>();
                for (int i = rows.rowCount() - 1; i >= 0; i--) {
                    double speedup = rows.doubleColumn("speedup").get(i);
                    double sparsity = rows.doubleColumn("sparsity").get(i);
                    paysAbove &= speedup > 1;
                    if (paysAbove) {
                        pays = sparsity;
                    }
                    boolean autoSparse = !rows.stringColumn("autoPath").get(i).equals("dense");
                    if (autoSparse == speedup > 1) {
                        right++;
                    } else {
                        wrong.add(String.format(Locale.ROOT, "%.2f (%s, sparse %.2fx)", sparsity,
                                rows.stringColumn("autoPath").get(i), speedup));
                    }
                }
                table.stringColumn("model").append(name);
                table.intColumn("batch").append(batch);
                table.stringColumn("sparse pays from (measured)").append(Double.isNaN(pays) ? "never"
                        : String.format(Locale.ROOT, "%.2f", pays));
                table.doubleColumn("cost model, largest layer").append(
                        round(1 - costs.crossoverDensity(largest[0], largest[1], batch), 3));
                table.stringColumn("auto right").append(right + " of " + rows.rowCount());
                table.stringColumn("auto wrong at").append(wrong.isEmpty() ? "-" : String.join("; ", wrong));
            }
        }
        return table;
    }
}
