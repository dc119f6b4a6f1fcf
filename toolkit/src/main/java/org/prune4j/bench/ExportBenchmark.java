package org.prune4j.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

import org.prune4j.export.CompressedModel;
import org.prune4j.export.ExportReport;
import org.prune4j.export.ModelHeader;
import org.prune4j.infer.SparseInference;
import org.prune4j.nn.Models;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
        Block block = name.equals("mlp2048") ? wideMlp() : Models.byName(name, 10);
        Model model = Model.newInstance(name);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
        prune(block, sparsity);
        return model;
    }

    /** The wide MLP: flatten, 2048, ReLU, 2048, ReLU, 10. */
    public static Block wideMlp() {
        return new SequentialBlock().add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(2048).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(2048).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    /** Zeroes the smallest-magnitude {@code sparsity} share of every weight of rank 2 and more. */
    public static void prune(Block block, double sparsity) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            NDArray array = pair.getValue().getArray();
            if (array.getShape().dimension() < 2 || sparsity <= 0) {
                continue;
            }
            float[] values = array.toFloatArray();
            Integer[] order = new Integer[values.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(Math.abs(values[a]), Math.abs(values[b])));
            int drop = (int) Math.round(sparsity * values.length);
            for (int i = 0; i < drop; i++) {
                values[order[i]] = 0f;
            }
            array.set(values);
        }
    }

    /**
     * Median wall milliseconds of the dense and the planned path on one input, interleaved A B B A in
     * chunks so that load bursts hit both; 10% of the repeats first as warm-up.
     *
     * @return {dense median ms, sparse median ms}
     */
    public static double[] latency(SparseInference inference, int batch, int repeats, long seed) {
        float[] input = new float[batch * 784];
        Random random = new Random(seed);
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextFloat();
        }
        for (int i = 0; i < Math.max(20, repeats / 10); i++) {
            inference.predictDense(input, batch);
            inference.predict(input, batch);
        }
        double[] dense = new double[repeats];
        double[] sparse = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            boolean denseFirst = (i & 1) == 0;
            for (int pass = 0; pass < 2; pass++) {
                boolean runDense = denseFirst == (pass == 0);
                long start = System.nanoTime();
                if (runDense) {
                    inference.predictDense(input, batch);
                } else {
                    inference.predict(input, batch);
                }
                double ms = (System.nanoTime() - start) / 1e6;
                if (runDense) {
                    dense[i] = ms;
                } else {
                    sparse[i] = ms;
                }
            }
        }
        return new double[] {median(dense), median(sparse)};
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
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
        Table speed = Table.create("latency", StringColumn.create("model"), DoubleColumn.create("sparsity"),
                IntColumn.create("batch"), StringColumn.create("autoChoice"), DoubleColumn.create("denseMs"),
                DoubleColumn.create("sparseMs"), DoubleColumn.create("speedup"));
        for (String name : new String[] {"lenet300", "mlp2048"}) {
            for (double sparsity : new double[] {0.5, 0.8, 0.9, 0.95, 0.98}) {
                try (Model model = model(name, sparsity, 1)) {
                    SparseInference forced = SparseInference.compile(model.getBlock(), model.getNDManager(),
                            new long[] {1, 1, 28, 28}, 1.0);
                    SparseInference auto = SparseInference.compile(model.getBlock(), model.getNDManager(),
                            new long[] {1, 1, 28, 28}, SparseInference.DEFAULT_MAX_DENSITY);
                    for (int batch : new int[] {1, 64}) {
                        int n = name.equals("mlp2048") ? Math.max(20, repeats / 5) : repeats;
                        double[] ms = latency(forced, batch, n, 7);
                        speed.stringColumn("model").append(name);
                        speed.doubleColumn("sparsity").append(sparsity);
                        speed.intColumn("batch").append(batch);
                        speed.stringColumn("autoChoice").append(auto.anySparse() ? "sparse" : "dense");
                        speed.doubleColumn("denseMs").append(ms[0]);
                        speed.doubleColumn("sparseMs").append(ms[1]);
                        speed.doubleColumn("speedup").append(ms[0] / ms[1]);
                        out.println(String.format(Locale.ROOT, "%-8s sparsity %.2f batch %2d: dense %.3f ms, sparse %.3f ms, %.2fx",
                                name, sparsity, batch, ms[0], ms[1], ms[0] / ms[1]));
                    }
                }
            }
        }
        out.println(speed.printAll());
    }
}
