package org.prune4j.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import org.prune4j.mask.Pattern;
import org.prune4j.method.Budget;
import org.prune4j.method.LayerAllocation;
import org.prune4j.method.Scores;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.train.Devices;

import tech.tablesaw.api.Table;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How global magnitude pruning scales with the number of weights: the toolkit's real path (GMP, GraNet
 * and PDP with a global budget: magnitude scores, then {@link LayerAllocation#keepTopScores} with
 * {@link Budget#GLOBAL}, one exact-count selection over all layers, masks set and weights zeroed) on
 * ResNet-50-shaped sets of tensors of about 1M, 5M and 25M weights, side by side in one JVM.
 *
 * <p>Each pruning starts from the same unpruned weights (restored untimed before it), at 90% sparsity.
 * Sizes are interleaved as in {@link SideBySide}, one pruning per size per turn; the table reports
 * median times and the median of the per-block ratios time(5M)/time(1M) and time(25M)/time(5M), which
 * linear work keeps near 5.
 */
public final class GlobalPruningBenchmark {

    /** Approximate totals of the three sets. */
    public static final long[] TOTALS = {1_000_000, 5_000_000, 25_000_000};
    /** The pruned fraction. */
    public static final double SPARSITY = 0.9;
    /** The largest acceptable median time(25M)/time(5M): five times the weights, at most six times the time. */
    public static final double MAX_RATIO = 6;
    /** Blocks, one pruning per size each. */
    public static final int BLOCKS = 10;
    /** Untimed prunings per size first. */
    public static final int WARMUP = 2;

    private static final LayerAllocation GLOBAL =
            new LayerAllocation(Budget.GLOBAL, Pattern.unstructured(), false, false);

    private GlobalPruningBenchmark() {}

    /** Measures the three sizes on the default device ({@link Devices#auto()}) and prints the table. */
    public static Table run(PrintStream out) {
        return run(Devices.auto(), out);
    }

    /** Measures the three sizes with the weights on {@code device} and prints the table. */
    public static Table run(Device device, PrintStream out) {
        out.printf(Locale.ROOT, "suite global: global magnitude pruning to %.0f%% of ResNet-50-shaped weight sets,"
                + " %d warm-up prunings per size, then %d blocks, sizes interleaved%n", 100 * SPARSITY, WARMUP, BLOCKS);
        List<WeightSet> sets = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed(1);
            for (long total : TOTALS) {
                sets.add(new WeightSet(manager, ResNet50Shapes.withTotal(total)));
            }
            for (WeightSet set : sets) {
                set.run(WARMUP);
            }
            long started = System.nanoTime();
            double[][] nanos = SideBySide.nanosPerUnit(sets, BLOCKS, 1, 1);
            out.printf(Locale.ROOT, "  %d blocks done in %.1f s%n", BLOCKS, (System.nanoTime() - started) / 1e9);
            BenchTable table = new BenchTable("global magnitude pruning (medians over " + BLOCKS + " blocks)");
            for (int i = 0; i < sets.size(); i++) {
                WeightSet set = sets.get(i);
                set.checkPruned();
                String name = String.format(Locale.ROOT, "resnet50-shaped %.1fM", set.total / 1e6);
                table.add(name, "global prune (" + set.model.weights().size() + " tensors)", "ms",
                        BenchTable.scaled(nanos[i], 1e-6));
                table.add(name, "  per weight", "ns", BenchTable.scaled(nanos[i], 1.0 / set.total));
            }
            for (int i = 1; i < sets.size(); i++) {
                double[] ratio = SideBySide.ratio(nanos[i], nanos[i - 1]);
                boolean last = i == sets.size() - 1;
                table.add("ratio", String.format(Locale.ROOT, "time(%.0fM) / time(%.0fM)", sets.get(i).total / 1e6,
                        sets.get(i - 1).total / 1e6), "x", ratio, last ? MAX_RATIO : null,
                        last ? BenchTable.atMost(MAX_RATIO, "") : "");
            }
            Table result = table.table();
            out.println();
            out.println(result.printAll());
            return result;
        } finally {
            sets.forEach(WeightSet::close);
        }
    }

    /** One set of weight tensors with a sparse model over them, and their unpruned values. */
    private static final class WeightSet implements SideBySide.Variant, AutoCloseable {
        final long total;
        final SparseModel model;
        private final List<NDArray> originals = new ArrayList<>();

        WeightSet(NDManager manager, List<Shape> shapes) {
            this.total = ResNet50Shapes.total(shapes);
            Layers layers = new Layers(shapes);
            layers.initialize(manager, DataType.FLOAT32, new Shape(1));
            this.model = SparseModel.of(layers);
            for (MaskedWeight weight : model.weights()) {
                originals.add(model.values(weight).duplicate());
            }
        }

        /** Restores the weights (timed apart), prunes, and returns the restore time. */
        @Override
        public long run(int prunings) {
            long restoring = 0;
            for (int i = 0; i < prunings; i++) {
                long start = System.nanoTime();
                restore();
                restoring += System.nanoTime() - start;
                List<NDArray> scores = Scores.magnitude(model);
                try {
                    GLOBAL.keepTopScores(model, scores, 1 - SPARSITY);
                } finally {
                    Scores.close(scores);
                }
                StepBenchmark.sync(model);
            }
            return restoring;
        }

        private void restore() {
            for (MaskedWeight weight : model.weights()) {
                model.values(weight).muli(0).addi(originals.get(weight.index()));
            }
            StepBenchmark.sync(model);
        }

        /** Guards the figures: the last pruning kept exactly the global count. */
        void checkPruned() {
            long kept = 0;
            for (MaskedWeight weight : model.weights()) {
                kept += model.nonzeros(weight);
            }
            long expected = Math.round((1 - SPARSITY) * total);
            if (kept != expected) {
                throw new IllegalStateException("global pruning of " + total + " weights kept " + kept + ", expected "
                        + expected);
            }
        }

        @Override
        public void close() {
            originals.forEach(NDArray::close);
            model.close();
        }
    }

    /** A block holding one bias-free Conv2d or Linear layer per shape, never run forward: only its weights matter. */
    private static final class Layers extends AbstractBlock {
        private final List<Shape> shapes;

        Layers(List<Shape> shapes) {
            this.shapes = shapes;
            for (int i = 0; i < shapes.size(); i++) {
                Shape shape = shapes.get(i);
                Block layer = shape.dimension() == 4
                        ? Conv2d.builder().setKernelShape(new Shape(shape.get(2), shape.get(3))).setFilters((int) shape.get(0))
                                .optBias(false).build()
                        : Linear.builder().setUnits(shape.get(0)).optBias(false).build();
                addChildBlock("layer" + i, layer);
            }
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            for (int i = 0; i < shapes.size(); i++) {
                Shape shape = shapes.get(i);
                Shape input = shape.dimension() == 4 ? new Shape(1, shape.get(1), shape.get(2), shape.get(3))
                        : new Shape(1, shape.get(1));
                children.get(i).getValue().initialize(manager, dataType, input);
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            throw new UnsupportedOperationException("a weight set for pruning benchmarks is never run forward");
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
