package org.prune4j.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;

import org.prune4j.data.DataSplit;
import org.prune4j.method.Dense;
import org.prune4j.method.Gmp;
import org.prune4j.method.GraNet;
import org.prune4j.method.LayerAllocation;
import org.prune4j.method.Pdp;
import org.prune4j.method.Scores;
import org.prune4j.method.SparsityMethod;
import org.prune4j.model.SparseModel;
import org.prune4j.optim.Optimizers;
import org.prune4j.train.Devices;
import org.prune4j.train.Progress;
import org.prune4j.train.SparseTraining;
import org.prune4j.train.TrainingSession;

import tech.tablesaw.api.Table;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * What sparsity costs per training step, measured on the toolkit's own step ({@link TrainingSession#trainStep()})
 * against a dense step (forward, backward, {@code MaskAwareSgd} with no masks), side by side in one JVM:
 * <ul>
 *   <li>suite {@code steps}: GMP at 90% in steady state (masks set, re-applied by the optimizer after every
 *       update: "mask upkeep"), with one GMP mask update (magnitude re-selection of every layer through
 *       {@link LayerAllocation#keepTopScores}, plus the optimizer-state reset it triggers) spread over 100
 *       steps; and GraNet-ST at 90% in its drop-and-regrow phase, with one update
 *       ({@link org.prune4j.method.DropAndGrow}: drop the smallest survivors, regrow the largest-|grad| zeros,
 *       masks applied, momentum zeroed at the changed positions) spread over dT = 100 steps;</li>
 *   <li>suite {@code pdp}: a PDP step in its pruning phase (soft mask inside the forward pass, threshold
 *       recomputed every 10 steps as by default), and for reference one with the threshold fixed, one that
 *       recomputes it every step, and the default one through DJL ops only (without the fused kernels);</li>
 *   <li>suite {@code bert}: BERT-Tiny on IMDB reviews (128 tokens, batch 64, AdamW as its recipe trains it) with
 *       the masked GMP step and the PDP step against its dense step: the attention projections and feed-forward
 *       layers masked, the embeddings and classifier dense.</li>
 * </ul>
 *
 * <p>The variants of a suite and the dense session live side by side and run interleaved blocks of steps
 * (see {@link SideBySide}); each block gives one ratio, and the table reports the median over the blocks,
 * with the min and max. Mask updates are timed on their own ({@link TimedUpdates}) and left out of their
 * variant's step time.
 */
public final class StepBenchmark {

    /** Mini-batch size of every measured LeNet step. */
    public static final int BATCH_SIZE = 128;
    /** Mini-batch size of every measured BERT-Tiny step: the batch its IMDB runs train with. */
    public static final int BERT_BATCH_SIZE = 64;
    /** Sparsity of the sparse variants. */
    public static final double SPARSITY = 0.9;
    /** Steps between mask updates (dT), over which one update's cost is spread. */
    public static final int UPDATE_INTERVAL = 100;
    /** Blocks per variant. */
    public static final int BLOCKS = 10;
    /**
     * Caffe's LeNet rate. Not the toolkit's 0.1: dense LeNet-5 diverges to NaN at batch 128 with any
     * rate from 0.02 up (its masked twin does not), and a NaN model runs at a different speed, which
     * made the masked step look 8% dearer than it is.
     */
    public static final double LEARNING_RATE = 0.01;
    /** Steps one variant runs before the next takes its turn, within a block. */
    public static final int CHUNK_STEPS = 10;
    /** Untimed steps per variant before the first block (JIT, allocator, caches). */
    public static final int WARMUP_STEPS = 300;
    /** GraNet's initial drop rate r_0, held constant: the largest swap GraNet makes, so the dearest update. */
    public static final double DROP_RATE = 0.5;

    /** The models, and the share of {@code steps} each measures: a LeNet-5 step costs about ten LeNet-300-100 steps. */
    private static final List<String> MODELS = List.of("lenet300", "lenet5");

    /**
     * One model a suite measures.
     *
     * @param model        the zoo name
     * @param stepDivisor  it runs {@code steps / stepDivisor} measured steps per variant
     * @param batchSize    its mini-batch
     * @param warmupSteps  untimed steps per variant before the first block
     */
    record Target(String model, int stepDivisor, int batchSize, int warmupSteps) {}

    /**
     * The models of a suite. BERT-Tiny warms up for 20 steps, not 300: one of its steps costs about 100 LeNet-300-100
     * steps, and its allocator and caches settle within a few.
     */
    static List<Target> targets(String suiteName) {
        return suiteName.equals("bert") ? List.of(new Target("bert-tiny", 10, BERT_BATCH_SIZE, 20))
                : List.of(new Target("lenet300", 1, BATCH_SIZE, WARMUP_STEPS), new Target("lenet5", 2, BATCH_SIZE, WARMUP_STEPS));
    }

    /** A target that applies to some models only (the issue sets the drop-and-regrow one on LeNet-5). */
    record Limit(double percent, Set<String> models) {
        static Limit all(double percent) {
            return new Limit(percent, Set.copyOf(MODELS));
        }

        Double on(String model) {
            return models.contains(model) ? percent : null;
        }
    }

    /**
     * One kind of step measured against the dense step.
     *
     * @param label          the measure's name in the table
     * @param overheadName   the name of its overhead row
     * @param method         the method for an update interval (wrapped in {@link TimedUpdates} where it updates)
     * @param overheadLimit  the target on the step's overhead over a dense step, or null
     * @param updateLimit    the target on one update amortised over {@link #UPDATE_INTERVAL} steps, or null
     *                       when the variant has no separately timed updates
     * @param masked         whether its weights hold hard zeros at {@link #SPARSITY} (checked at the end)
     */
    record StepVariant(String label, String overheadName, IntFunction<SparsityMethod> method, Limit overheadLimit,
            Limit updateLimit, boolean masked) {}

    /** GMP after its pruning window, plus the re-selection a GMP update step does, timed on its own. */
    static final StepVariant GMP = new StepVariant("masked step (gmp 90%, steady)", "mask upkeep overhead",
            updateEvery -> {
                // The schedule starts at its final sparsity: the start hook prunes to 90% by magnitude, and
                // the update steps find nothing to do, so the bench adds the re-selection they would do.
                Gmp steady = Gmp.builder().sparsity(SPARSITY).initialSparsity(SPARSITY).every(UPDATE_INTERVAL).build();
                LayerAllocation allocation = steady.allocation();
                return new TimedUpdates(steady, step -> step > 0 && step % updateEvery == 0,
                        context -> reselect(context.model(), allocation));
            }, Limit.all(3), Limit.all(3), true);

    /** GraNet-ST from a 90% ERK mask: no pruning left, drop-and-regrow at r_0 every dT. */
    static final StepVariant DROP_AND_GROW = new StepVariant("drop-and-regrow step (granet-st 90%)", "overhead",
            updateEvery -> {
                GraNet granet = GraNet.st().sparsity(SPARSITY).initialSparsity(SPARSITY).every(updateEvery)
                        .dropRate(DROP_RATE).minDropRate(DROP_RATE).build();
                return new TimedUpdates(granet, granet::isUpdateStep, context -> { });
            }, null, new Limit(3, Set.of("lenet5")), true);

    /** PDP in its pruning phase at the full ratio (no warm-up, ramp eps 1), threshold every 10 steps. */
    static final StepVariant PDP = new StepVariant("pdp step (90%, t every 10 steps)", "pdp overhead",
            updateEvery -> pdp().build(), Limit.all(30), null, false);

    /**
     * The same with t left where the first step put it: the soft mask's own cost (the forward and backward
     * passes over the weights), which the two others add their threshold updates to.
     */
    static final StepVariant PDP_FIXED_THRESHOLD = new StepVariant("pdp step (90%, t fixed)", "pdp overhead (t fixed)",
            updateEvery -> pdp().thresholdEvery(Long.MAX_VALUE).build(), null, null, false);

    /**
     * The default step through DJL ops only (no fused kernels): what PDP costs where the kernels are not built
     * (no C compiler) or cannot run (a GPU, which has its own fused elementwise kernels).
     */
    static final StepVariant PDP_DJL_OPS = new StepVariant("pdp step (90%, t every 10 steps, DJL ops only)",
            "pdp overhead (DJL ops only)", updateEvery -> pdp().nativeKernel(false).build(), null, null, false);

    /** The same, recomputing the threshold at every step (for reference). */
    static final StepVariant PDP_EVERY_STEP = new StepVariant("pdp step (90%, t every step)", "pdp overhead (t every step)",
            updateEvery -> pdp().thresholdEvery(1).build(), null, null, false);

    /**
     * τ 1e-2, not the default 1e-3: a step runs the same ops at any τ, and PDP started at the full ratio from
     * random weights (no warm-up, as here) with τ 1e-3 sent LeNet-5 to NaN in one of four runs at lr 0.01
     * (the gradient through the mask grows like 2w²/τ), which stops the bench.
     */
    static final double PDP_TAU = 1e-2;

    private static Pdp.Builder pdp() {
        return Pdp.builder().sparsity(SPARSITY).tau(PDP_TAU).warmupEpochs(0).fineTuneEpochs(0).eps(1.0);
    }

    /** The step suites by name. */
    static List<StepVariant> suite(String name) {
        switch (name) {
            case "steps":
                return List.of(GMP, DROP_AND_GROW);
            case "pdp":
                return List.of(PDP, PDP_FIXED_THRESHOLD, PDP_EVERY_STEP, PDP_DJL_OPS);
            case "bert":
                return List.of(GMP, PDP);
            default:
                throw new IllegalArgumentException("unknown step suite '" + name + "': expected steps, pdp or bert");
        }
    }

    private StepBenchmark() {}

    /**
     * Measures the suite's models ({@link #targets}) with its variants and prints the table.
     *
     * @param data  MNIST for the LeNet suites, IMDB for {@code bert}
     * @param steps measured steps per variant for LeNet-300-100 (half as many for LeNet-5, a tenth for BERT-Tiny), split into
     *              {@link #BLOCKS} blocks
     * @return the table that was printed
     */
    public static Table run(String suiteName, int steps, DataSplit data, PrintStream out) {
        return run(suiteName, steps, data, Devices.auto(), out);
    }

    /**
     * Measures the suite's models with its variants on the given device and prints the table.
     *
     * @param data   MNIST for the LeNet suites, IMDB for {@code bert}
     * @param steps  measured steps per variant for LeNet-300-100 (half as many for LeNet-5, a tenth for BERT-Tiny), split into
     *               {@link #BLOCKS} blocks
     * @param device where every measured session trains
     * @return the table that was printed
     */
    public static Table run(String suiteName, int steps, DataSplit data, Device device, PrintStream out) {
        List<StepVariant> variants = suite(suiteName);
        if (steps < BLOCKS) {
            throw new IllegalArgumentException("steps " + steps + " must be at least " + BLOCKS + " (one per block)");
        }
        List<Target> targets = targets(suiteName);
        int batch = targets.get(0).batchSize();
        out.printf(Locale.ROOT, "suite %s: %s, batch %d, %d warm-up steps per variant, then %d blocks per variant"
                + " (variants interleaved every %d steps)%n", suiteName, suiteName.equals("bert") ? "IMDB" : "MNIST",
                batch, targets.get(0).warmupSteps(), BLOCKS, CHUNK_STEPS);
        BenchTable table = new BenchTable("step benchmark, suite " + suiteName + " (batch " + batch
                + ", medians over " + BLOCKS + " blocks)");
        for (Target target : targets) {
            int blockSteps = Math.max(1, steps / target.stepDivisor() / BLOCKS);
            long started = System.nanoTime();
            measure(target, data, blockSteps, variants, device, table);
            out.printf(Locale.ROOT, "  %s: %d blocks of %d steps per variant, done in %.1f s%n", target.model(), BLOCKS,
                    blockSteps, (System.nanoTime() - started) / 1e9);
        }
        Table result = table.table();
        out.println();
        out.println(result.printAll());
        out.println();
        out.println("overhead = variant step / dense step - 1, per block (mask updates left out of the step);"
                + " update amortised = one update / " + UPDATE_INTERVAL + " steps, relative to a dense step.");
        return result;
    }

    /** One variant's session and how it is timed. */
    private static final class Measured implements SideBySide.Variant {
        final TrainingSession session;
        final TimedUpdates updates;
        final double[] updateMs = new double[BLOCKS];
        private long nanosAtBlockStart;
        private long updatesAtBlockStart;
        private int block;

        Measured(TrainingSession session) {
            this.session = session;
            this.updates = session.method() instanceof TimedUpdates timed ? timed : null;
        }

        @Override
        public long run(int steps) {
            long before = updates == null ? 0 : updates.nanos();
            for (int i = 0; i < steps; i++) {
                session.trainStep();
            }
            sync(session.model());
            return updates == null ? 0 : updates.nanos() - before;
        }

        /** Updates so far belong to the warm-up. */
        void startBlocks() {
            if (updates != null) {
                nanosAtBlockStart = updates.nanos();
                updatesAtBlockStart = updates.updates();
            }
        }

        @Override
        public void endBlock() {
            if (updates != null) {
                long count = updates.updates() - updatesAtBlockStart;
                updateMs[block] = count == 0 ? Double.NaN : (updates.nanos() - nanosAtBlockStart) / 1e6 / count;
            }
            startBlocks();
            block++;
        }
    }

    static void measure(Target target, DataSplit data, int requestedBlockSteps, List<StepVariant> variants,
            Device device, BenchTable table) {
        String modelName = target.model();
        // Every block holds the same number of updates: block and warm-up lengths are multiples of the interval.
        int updateEvery = Math.min(UPDATE_INTERVAL, requestedBlockSteps);
        int blockSteps = requestedBlockSteps / updateEvery * updateEvery;
        int warmup = (target.warmupSteps() + updateEvery - 1) / updateEvery * updateEvery;
        int totalSteps = warmup + blockSteps * BLOCKS;
        List<Measured> sessions = new ArrayList<>();
        try {
            sessions.add(new Measured(session(target, data, new Dense(), totalSteps, device)));
            for (StepVariant variant : variants) {
                sessions.add(new Measured(session(target, data, variant.method().apply(updateEvery), totalSteps, device)));
            }
            for (Measured measured : sessions) {
                measured.run(warmup);
                measured.startBlocks();
            }
            double[][] nanos = SideBySide.nanosPerUnit(sessions, BLOCKS, blockSteps, CHUNK_STEPS);
            for (int v = 0; v < variants.size(); v++) {
                if (variants.get(v).masked()) {
                    checkSparsity(modelName, variants.get(v), sessions.get(v + 1).session.model());
                }
            }
            checkTrained(modelName, "dense", sessions.get(0).session);
            for (int v = 0; v < variants.size(); v++) {
                checkTrained(modelName, variants.get(v).label(), sessions.get(v + 1).session);
            }
            double[] dense = nanos[0];
            table.add(modelName, "dense step", "ms/step", BenchTable.scaled(dense, 1e-6));
            for (int v = 0; v < variants.size(); v++) {
                StepVariant variant = variants.get(v);
                double[] step = nanos[v + 1];
                table.add(modelName, variant.label(), "ms/step", BenchTable.scaled(step, 1e-6));
                addLimited(table, modelName, variant.overheadName(), BenchTable.scaled(SideBySide.overhead(step, dense), 100),
                        variant.overheadLimit());
                if (variant.updateLimit() != null) {
                    double[] updateMs = sessions.get(v + 1).updateMs;
                    double[] share = new double[BLOCKS];
                    for (int b = 0; b < BLOCKS; b++) {
                        share[b] = 100 * (updateMs[b] / UPDATE_INTERVAL) / (dense[b] / 1e6);
                    }
                    table.add(modelName, "  one update (all layers)", "ms", updateMs);
                    addLimited(table, modelName, "  update amortised over " + UPDATE_INTERVAL + " steps", share,
                            variant.updateLimit());
                }
            }
        } finally {
            sessions.forEach(measured -> measured.session.close());
        }
    }

    private static void addLimited(BenchTable table, String model, String measure, double[] percent, Limit limit) {
        Double max = limit == null ? null : limit.on(model);
        table.add(model, measure, "% of dense step", percent, max, max == null ? "" : BenchTable.atMost(max, "%"));
    }

    private static TrainingSession session(Target target, DataSplit data, SparsityMethod method, int totalSteps,
            Device device) {
        int stepsPerEpoch = (data.train().size() + target.batchSize() - 1) / target.batchSize();
        // Enough epochs for every step, so that the cosine learning rate never runs out.
        int epochs = totalSteps / stepsPerEpoch + 1;
        SparseTraining training = SparseTraining.of(target.model(), data);
        if (target.model().startsWith("lenet")) {
            training.optimizer(Optimizers.sgd().lr(LEARNING_RATE).momentum(0.9).weightDecay(5e-4).cosineLr());
        } // other models train with their own recipe's optimizer (BERT-Tiny: AdamW)
        return training
                .method(method)
                .batchSize(target.batchSize())
                .epochs(epochs)
                .seed(1)
                .device(device)
                .progress(Progress.silent())
                .session();
    }

    /**
     * A GMP update at the target density: magnitude scores, per-layer top-k selection, the new masks
     * applied to the weights and the optimizer state zeroed at pruned positions (through
     * {@code SparseModel.setMask}'s listener), scores closed. What {@code Gmp.afterStep} does at an
     * update step.
     */
    private static void reselect(SparseModel model, LayerAllocation allocation) {
        List<NDArray> scores = Scores.magnitude(model);
        try {
            allocation.keepTopScores(model, scores, 1 - SPARSITY);
        } finally {
            Scores.close(scores);
        }
    }

    /**
     * Waits for the device's queued work by reading one weight (a no-op in effect on the CPU, where ops are
     * synchronous); called once per timed region, never per step.
     */
    static void sync(SparseModel model) {
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

    /** Guards the comparison: a masked variant must really be at the target sparsity after all the steps. */
    private static void checkSparsity(String model, StepVariant variant, SparseModel sparse) {
        double sparsity = sparse.sparsity();
        if (Math.abs(sparsity - SPARSITY) > 0.01) {
            throw new IllegalStateException(model + " " + variant.label() + " ended at sparsity " + sparsity
                    + ", expected " + SPARSITY);
        }
    }
}
