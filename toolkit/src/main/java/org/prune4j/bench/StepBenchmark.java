package org.prune4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;

import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.method.Dense;
import org.prune4j.method.Gmp;
import org.prune4j.method.LayerAllocation;
import org.prune4j.method.Scores;
import org.prune4j.method.SparsityMethod;
import org.prune4j.model.SparseModel;
import org.prune4j.optim.Optimizers;
import org.prune4j.train.Progress;
import org.prune4j.train.SparseTraining;
import org.prune4j.train.TrainingSession;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What sparsity costs per training step, measured on the toolkit's own step ({@link TrainingSession#trainStep()}):
 * <ol>
 *   <li>a dense step (forward, backward, {@code MaskAwareSgd} with no masks);</li>
 *   <li>a step of GMP at 90% sparsity in steady state: the masks are set and the optimizer re-applies
 *       them after every update ("mask upkeep");</li>
 *   <li>one GMP mask update (magnitude re-selection of every layer through
 *       {@link LayerAllocation#keepTopScores}, plus the optimizer-state reset it triggers), spread over
 *       an update interval of 100 steps.</li>
 * </ol>
 *
 * <p>Why interleaved blocks: this machine's speed drifts by up to 2x within minutes (other processes,
 * CPU frequency), so the dense and masked sessions live side by side in one JVM and run alternate blocks
 * of steps: within a block they take turns every {@link #CHUNK_STEPS} steps, in A B B A order, so that
 * a burst of load from elsewhere hits both about equally. Each block gives one ratio; the table reports the median ratio over the blocks, with the min and max.
 *
 * <p>Timing: on the CPU every PyTorch op returns when its result is computed, so wall time around a
 * block is the block's cost. On a GPU ops are queued asynchronously; {@link #sync} reads one number
 * from the device at the end of each timed region (never per step) so that the queue is drained.
 */
public final class StepBenchmark {

    /** Mini-batch size of every measured step. */
    public static final int BATCH_SIZE = 128;
    /** Sparsity of the masked variant and of the mask update. */
    public static final double SPARSITY = 0.9;
    /** Steps between GMP mask updates, over which one update's cost is spread. */
    public static final int UPDATE_INTERVAL = 100;
    /** Blocks per variant. */
    public static final int BLOCKS = 10;
    /**
     * Caffe's LeNet rate. Not the toolkit's 0.1: dense LeNet-5 diverges to NaN at batch 128 with any
     * rate from 0.02 up (its masked twin does not), and a NaN model runs at a different speed, which
     * made the masked step look 8% dearer than it is.
     */
    public static final double LEARNING_RATE = 0.01;
    /** Steps one variant runs before the other takes its turn, within a block. */
    public static final int CHUNK_STEPS = 10;
    /** Untimed steps per variant before the first block (JIT, allocator, caches). */
    public static final int WARMUP_STEPS = 300;

    /** The models, and the share of {@code steps} each measures: a LeNet-5 step costs about ten LeNet-300-100 steps. */
    private static final List<String> MODELS = List.of("lenet300", "lenet5");
    private static final int[] STEP_DIVISORS = {1, 2};

    private StepBenchmark() {}

    /**
     * Measures both LeNets on MNIST, prints the table, and writes it as CSV when {@code csv} is not null.
     *
     * @param steps measured steps per variant for LeNet-300-100 (half as many for LeNet-5), split into
     *              {@link #BLOCKS} blocks
     * @return the table that was printed
     */
    public static Table run(int steps, Path csv, PrintStream out) throws IOException {
        if (steps < BLOCKS) {
            throw new IllegalArgumentException("steps " + steps + " must be at least " + BLOCKS + " (one per block)");
        }
        DataSplit data = Datasets.mnist();
        out.printf(Locale.ROOT, "prune4j bench: MNIST, batch %d, %d warm-up steps per variant, then %d blocks per variant"
                + " (variants interleaved A B B A every %d steps), %s, %d cores%n", BATCH_SIZE, WARMUP_STEPS, BLOCKS, CHUNK_STEPS,
                Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion(),
                Runtime.getRuntime().availableProcessors());
        List<Result> results = new ArrayList<>();
        for (int m = 0; m < MODELS.size(); m++) {
            String model = MODELS.get(m);
            int blockSteps = Math.max(1, steps / STEP_DIVISORS[m] / BLOCKS);
            long started = System.nanoTime();
            Result result = measure(model, data, blockSteps);
            results.add(result);
            out.printf(Locale.ROOT, "  %s: %d blocks of %d steps per variant, done in %.1f s%n", model, BLOCKS, blockSteps,
                    (System.nanoTime() - started) / 1e9);
        }
        Table table = table(results);
        out.println();
        out.println(table.printAll());
        out.println();
        out.println("mask upkeep overhead = masked step / dense step - 1, per block; update amortised = one"
                + " mask update / " + UPDATE_INTERVAL + " steps, relative to a dense step. Target: each within 3%.");
        if (csv != null) {
            Path dir = csv.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            table.write().csv(csv.toFile());
            out.println("wrote " + csv);
        }
        return table;
    }

    /** The per-block figures of one model. */
    record Result(String model, double[] denseMs, double[] maskedMs, double[] upkeep, double[] updateMs,
            double[] updateShare) {}

    static Result measure(String modelName, DataSplit data, int blockSteps) {
        int updatesPerBlock = Math.max(1, blockSteps / UPDATE_INTERVAL);
        int updateEvery = blockSteps / updatesPerBlock;
        // GMP whose schedule starts at its final sparsity: the start hook prunes to 90% by magnitude, and
        // every later update step finds nothing to do. That is GMP after its pruning window: steady state.
        Gmp steady = Gmp.builder().sparsity(SPARSITY).initialSparsity(SPARSITY).every(UPDATE_INTERVAL).build();
        LayerAllocation allocation = steady.allocation();
        int totalSteps = WARMUP_STEPS + blockSteps * BLOCKS;
        double[] denseMs = new double[BLOCKS];
        double[] maskedMs = new double[BLOCKS];
        double[] upkeep = new double[BLOCKS];
        double[] updateMs = new double[BLOCKS];
        double[] updateShare = new double[BLOCKS];
        try (TrainingSession dense = session(modelName, data, new Dense(), totalSteps);
                TrainingSession masked = session(modelName, data, steady, totalSteps)) {
            steps(dense, WARMUP_STEPS);
            sync(dense);
            for (int i = 1; i <= WARMUP_STEPS; i++) {
                masked.trainStep();
                if (i % UPDATE_INTERVAL == 0) {
                    update(masked, allocation);
                }
            }
            sync(masked);
            Clock clock = new Clock(updateEvery);
            for (int block = 0; block < BLOCKS; block++) {
                clock.reset();
                // The block's steps run in chunks, A B B A: the two variants take turns every few steps,
                // so a burst of load from elsewhere lands on both.
                for (int done = 0, chunk = 0; done < blockSteps; done += CHUNK_STEPS, chunk++) {
                    int n = Math.min(CHUNK_STEPS, blockSteps - done);
                    if (chunk % 2 == 0) {
                        clock.dense(dense, n);
                        clock.masked(masked, allocation, n);
                    } else {
                        clock.masked(masked, allocation, n);
                        clock.dense(dense, n);
                    }
                }
                denseMs[block] = clock.denseNanos / 1e6 / blockSteps;
                maskedMs[block] = clock.maskedNanos / 1e6 / blockSteps;
                upkeep[block] = (double) clock.maskedNanos / clock.denseNanos - 1;
                updateMs[block] = clock.updateNanos / 1e6 / clock.updates;
                updateShare[block] = (updateMs[block] / UPDATE_INTERVAL) / denseMs[block];
            }
            checkSparsity(masked.model());
            checkTrained(modelName, "dense", dense);
            checkTrained(modelName, "masked", masked);
        }
        return new Result(modelName, denseMs, maskedMs, upkeep, updateMs, updateShare);
    }

    private static TrainingSession session(String model, DataSplit data, SparsityMethod method, int totalSteps) {
        int stepsPerEpoch = (data.train().size() + BATCH_SIZE - 1) / BATCH_SIZE;
        // Enough epochs for every step, so that the cosine learning rate never runs out.
        int epochs = totalSteps / stepsPerEpoch + 1;
        return SparseTraining.of(model, data)
                .method(method)
                .optimizer(Optimizers.sgd().lr(LEARNING_RATE).momentum(0.9).weightDecay(5e-4).cosineLr())
                .batchSize(BATCH_SIZE)
                .epochs(epochs)
                .seed(1)
                .progress(Progress.silent())
                .session();
    }

    private static void steps(TrainingSession session, int steps) {
        for (int i = 0; i < steps; i++) {
            session.trainStep();
        }
    }

    /**
     * Sums the wall time of dense steps, masked steps and mask updates over one block. A mask update
     * follows every {@code updateEvery}-th masked step; its time is kept apart from the steps' time.
     */
    private static final class Clock {
        private final int updateEvery;
        private long maskedStepsInBlock;
        long denseNanos;
        long maskedNanos;
        long updateNanos;
        int updates;

        Clock(int updateEvery) {
            this.updateEvery = updateEvery;
        }

        void reset() {
            maskedStepsInBlock = 0;
            denseNanos = 0;
            maskedNanos = 0;
            updateNanos = 0;
            updates = 0;
        }

        void dense(TrainingSession session, int steps) {
            long start = System.nanoTime();
            steps(session, steps);
            sync(session);
            denseNanos += System.nanoTime() - start;
        }

        void masked(TrainingSession session, LayerAllocation allocation, int steps) {
            long start = System.nanoTime();
            long spentOnUpdates = 0;
            for (int i = 0; i < steps; i++) {
                session.trainStep();
                if (++maskedStepsInBlock % updateEvery == 0) {
                    long update = update(session, allocation);
                    spentOnUpdates += update;
                    updateNanos += update;
                    updates++;
                }
            }
            sync(session);
            maskedNanos += System.nanoTime() - start - spentOnUpdates;
        }
    }

    /**
     * One GMP update at the target density, timed: magnitude scores, per-layer top-k selection, the new
     * masks applied to the weights and the optimizer state zeroed at pruned positions (through
     * {@code SparseModel.setMask}'s listener), scores closed. What {@code Gmp.afterStep} does at an
     * update step.
     */
    private static long update(TrainingSession session, LayerAllocation allocation) {
        sync(session);
        long start = System.nanoTime();
        SparseModel model = session.model();
        List<NDArray> scores = Scores.magnitude(model);
        try {
            allocation.keepTopScores(model, scores, 1 - SPARSITY);
        } finally {
            Scores.close(scores);
        }
        sync(session);
        return System.nanoTime() - start;
    }

    /**
     * Waits for the device's queued work by reading one weight (a no-op in effect on the CPU, where ops are
     * synchronous); called once per timed region, never per step.
     */
    private static void sync(TrainingSession session) {
        SparseModel model = session.model();
        NDArray weight = model.values(model.weights().get(0));
        long[] origin = new long[weight.getShape().dimension()];
        weight.getFloat(origin);
    }

    /** Guards the comparison: a diverged model (NaN loss) runs at another speed, so its time means nothing. */
    private static void checkTrained(String model, String variant, TrainingSession session) {
        double loss = session.finishEpoch().loss();
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException(model + " " + variant + " diverged (loss " + loss + ") at lr "
                    + LEARNING_RATE + ": its step time would not be comparable");
        }
    }

    /** Guards the comparison: the masked variant must really be at the target sparsity after all the steps. */
    private static void checkSparsity(SparseModel model) {
        double sparsity = model.sparsity();
        if (Math.abs(sparsity - SPARSITY) > 0.01) {
            throw new IllegalStateException("masked variant ended at sparsity " + sparsity + ", expected " + SPARSITY);
        }
    }

    static Table table(List<Result> results) {
        StringColumn model = StringColumn.create("model");
        StringColumn measure = StringColumn.create("measure");
        StringColumn unit = StringColumn.create("unit");
        DoubleColumn median = DoubleColumn.create("median");
        DoubleColumn min = DoubleColumn.create("min");
        DoubleColumn max = DoubleColumn.create("max");
        StringColumn target = StringColumn.create("target");
        for (Result r : results) {
            String[][] rows = {
                {"dense step", "ms/step", ""},
                {"masked step (gmp 90%, steady)", "ms/step", ""},
                {"mask upkeep overhead", "% of dense step", "<= 3%"},
                {"one mask update (all layers)", "ms", ""},
                {"update amortised over " + UPDATE_INTERVAL + " steps", "% of dense step", "<= 3%"},
            };
            double[][] values = {r.denseMs(), r.maskedMs(), percent(r.upkeep()), r.updateMs(), percent(r.updateShare())};
            for (int i = 0; i < rows.length; i++) {
                model.append(r.model());
                measure.append(rows[i][0]);
                unit.append(rows[i][1]);
                median.append(round(median(values[i])));
                min.append(round(Arrays.stream(values[i]).min().orElse(Double.NaN)));
                max.append(round(Arrays.stream(values[i]).max().orElse(Double.NaN)));
                String verdict = rows[i][2];
                if (!verdict.isEmpty()) {
                    verdict += median(values[i]) <= 3 ? " ok" : " ABOVE";
                }
                target.append(verdict);
            }
        }
        return Table.create("step benchmark (batch " + BATCH_SIZE + ", medians over " + BLOCKS + " blocks)",
                model, measure, unit, median, min, max, target);
    }

    private static double[] percent(double[] ratios) {
        return Arrays.stream(ratios).map(x -> 100 * x).toArray();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
