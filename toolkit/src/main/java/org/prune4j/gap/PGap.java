package org.prune4j.gap;

import ai.djl.ndarray.NDArray;

import org.knowm.xchart.XYChart;
import org.prune4j.density.LayerShape;
import org.prune4j.method.Budget;
import org.prune4j.method.LayerAllocation;
import org.prune4j.method.Methods;
import org.prune4j.method.Scores;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.report.EpochStats;
import org.prune4j.report.LayerStats;
import org.prune4j.report.Run;
import org.prune4j.report.RunInfo;
import org.prune4j.train.SparseTraining;
import org.prune4j.train.TrainingSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import tech.tablesaw.api.Table;

/**
 * Parallel grow-and-prune, P-GaP (methods.md, "GaP"): K workers start from the same sparse model (same
 * weights and masks); worker i grows partition i for T epochs; the combined model takes partition i's
 * weights (and biases) from worker i, every other parameter (BatchNorm, unmasked layers) as the mean
 * over the workers, and then every layer is magnitude-pruned to its target; that model starts the next
 * round. After R rounds the last F epochs fine-tune with the mask fixed.
 *
 * <p>P-GaP is not one training run, so it is a runner, not a {@code SparsityMethod}:
 * {@link #fit(SparseTraining)} takes the run's description (model, data, optimizer, seed), whose epochs
 * must be R·T + F (model time; the compute is K·R·T + F worker epochs), and returns one {@link Run} whose
 * history has one row per round (test accuracy of the combined, pruned model; mean worker loss) and one
 * per fine-tune epoch.
 *
 * <p>Each worker is a fresh run of T epochs seeded by (run seed, round, worker), so its data order does not
 * depend on where it runs; the optimizer state starts empty and the learning-rate policy spans the T
 * epochs (the fine-tune's spans F). Workers run one after another in this JVM ({@link Workers#EMBEDDED},
 * DJL allows one GradientCollector per process) or at the same time as separate JVMs sharing state files
 * ({@link Workers#PROCESSES}, see {@link WorkerLauncher}); both give the same result for a seed.
 */
public final class PGap {

    /** Where the workers run. */
    public enum Workers {
        /** One after another in this JVM. */
        EMBEDDED,
        /** At the same time, one JVM each, exchanging state files in a temporary folder. */
        PROCESSES;

        /** Parses {@code embedded} or {@code processes}. */
        public static Workers parse(String text) {
            for (Workers workers : values()) {
                if (workers.name().equalsIgnoreCase(text)) {
                    return workers;
                }
            }
            throw new IllegalArgumentException("unknown workers mode '" + text + "': expected embedded or processes");
        }
    }

    private final double sparsity;
    private final LayerAllocation allocation;
    private final boolean global;
    private final GapSchedule schedule;
    private final Partitioning partitioning;
    private final Workers workers;
    private final WorkerLauncher launcher;

    private PGap(Builder builder, double sparsity, LayerAllocation allocation) {
        this.sparsity = sparsity;
        this.global = allocation.budget() == Budget.GLOBAL;
        this.allocation = global ? new LayerAllocation(Budget.UNIFORM, allocation.pattern(), allocation.keepFirstDense(),
                allocation.keepLastDense()) : allocation;
        this.schedule = builder.validSchedule();
        this.partitioning = builder.partitioning;
        this.workers = builder.workers;
        this.launcher = builder.launcher;
    }

    /** Starts a P-GaP configuration; the sparsity is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** K, T, R and F. */
    public GapSchedule schedule() {
        return schedule;
    }

    /** The epochs a run of P-GaP has in model time: R·T + F. */
    public int epochs() {
        return schedule.parallelEpochs();
    }

    /**
     * The schedule as a table for a model's layers, before training: one row per (round, worker) with the
     * partition that worker grows and its model's sparsity, a row per combine, and the fine-tune.
     */
    public Table scheduleTable(List<LayerShape> shapes) {
        GapPlan plan = plan(shapes);
        return schedule.parallelTable(plan.names(), plan.sizes(), plan.keep(), plan.groups());
    }

    /** The schedule as a chart for a model's layers, before training: each worker's sparsity, and the combined model's. */
    public XYChart scheduleChart(List<LayerShape> shapes) {
        GapPlan plan = plan(shapes);
        return schedule.parallelChart("P-GaP schedule (" + schedule + ", sparsity " + sparsity + ")", plan.sizes(),
                plan.keep(), plan.groups());
    }

    private GapPlan plan(List<LayerShape> shapes) {
        return GapPlan.of(shapes, allocation, sparsity, partitioning, schedule.partitions());
    }

    /** One line describing the configuration. */
    public String describe() {
        return "pgap to sparsity " + sparsity + ", " + schedule + ", " + partitioning + " partitions, "
                + workers.name().toLowerCase(Locale.ROOT) + " workers, " + (global ? "non-uniform (global)" : allocation) + " prune";
    }

    /** The seed of worker {@code worker} in round {@code round} (round R is the fine-tune). */
    static long workerSeed(long seed, int round, int worker) {
        return seed * 1_000_003L + round * 1_009L + worker + 1;
    }

    /**
     * Trains: random mask at the target, R rounds of K workers, then the fine-tune.
     *
     * @throws IllegalArgumentException when the run's epochs are not R·T + F
     */
    public Run fit(SparseTraining training) {
        training.validate();
        if (training.getEpochs() != epochs()) {
            throw new IllegalArgumentException("pgap schedule needs R*T + F = " + schedule.rounds() + "*" + schedule.stepEpochs()
                    + " + " + schedule.finetuneEpochs() + " = " + epochs() + " epochs, the run has " + training.getEpochs());
        }
        long started = System.nanoTime();
        List<EpochStats> history = new ArrayList<>();
        long steps = 0;
        // The home session holds the combined model; it never steps, so it never opens a GradientCollector.
        try (TrainingSession home = training.copy().method(Methods.dense()).session()) {
            SparseModel model = home.model();
            allocation.validate(model);
            long[] keep = allocation.keepCounts(model, 1 - sparsity);
            Random random = new Random(training.getSeed());
            List<NDArray> scores = Scores.random(model, random);
            try {
                allocation.keepTopScores(model, scores, 1 - sparsity);
            } finally {
                Scores.close(scores);
            }
            ModelState state = ModelState.capture(home.block(), model);
            List<List<Integer>> groups = partitioning.split(model.names(), GapMasks.sizes(model), schedule.partitions(),
                    random, List.of());
            for (int round = 0; round < schedule.rounds(); round++) {
                long roundStart = System.nanoTime();
                if (round > 0 && partitioning.redrawsEachRound()) {
                    groups = partitioning.split(model.names(), GapMasks.sizes(model), schedule.partitions(), random,
                            groups.get(groups.size() - 1));
                }
                List<WorkerResult> results = workers == Workers.EMBEDDED
                        ? runEmbedded(training, state, groups, round)
                        : runProcesses(training, state, groups, round);
                state = combine(results.stream().map(WorkerResult::state).toList(), groups, model.names());
                state.restore(home.block(), model);
                GapMasks.pruneToTarget(model, allocation, keep, CGap.allLayers(model), global);
                state = ModelState.capture(home.block(), model);
                steps += (long) results.size() * schedule.stepEpochs() * home.stepsPerEpoch();
                double loss = results.stream().mapToDouble(WorkerResult::loss).average().orElse(0);
                double trainAccuracy = results.stream().mapToDouble(WorkerResult::trainAccuracy).average().orElse(0);
                history.add(new EpochStats((round + 1) * schedule.stepEpochs(), loss, trainAccuracy, home.testAccuracy(),
                        model.sparsity(), results.get(0).learningRate(), (System.nanoTime() - roundStart) / 1e9));
            }
            List<LayerStats> layers;
            if (schedule.finetuneEpochs() > 0) {
                GrowFrom fixed = new GrowFrom(state, List.of(), sparsity);
                Run finetune = training.copy().method(fixed).epochs(schedule.finetuneEpochs())
                        .seed(workerSeed(training.getSeed(), schedule.rounds(), 0)).fit();
                int offset = schedule.rounds() * schedule.stepEpochs();
                for (EpochStats row : finetune.historyRows()) {
                    history.add(new EpochStats(offset + row.epoch(), row.loss(), row.trainAccuracy(), row.testAccuracy(),
                            row.sparsity(), row.learningRate(), row.seconds()));
                }
                steps += finetune.steps();
                layers = finetune.layerRows();
                fixed.end().restore(home.block(), model);
            } else {
                layers = new ArrayList<>();
                for (MaskedWeight weight : model.weights()) {
                    layers.add(new LayerStats(weight.name(), weight.shape().getShape(), weight.size(), model.nonzeros(weight)));
                }
            }
            RunInfo info = new RunInfo(training.getModelName(), training.getData().name(), "pgap", sparsity, epochs(),
                    training.getSeed(), home.device().toString());
            finalMasks = ModelState.capture(home.block(), model).masks();
            return Run.of(info, history, layers, (System.nanoTime() - started) / 1e9, steps);
        }
    }

    private List<float[]> finalMasks;

    /** The masks at the end of the last {@link #fit}, model order (null for a dense layer); for checks. */
    public List<float[]> finalMasks() {
        return finalMasks;
    }

    private List<WorkerResult> runEmbedded(SparseTraining training, ModelState state, List<List<Integer>> groups, int round) {
        List<WorkerResult> results = new ArrayList<>();
        for (int worker = 0; worker < groups.size(); worker++) {
            results.add(trainWorker(training, state, groups.get(worker),
                    workerSeed(training.getSeed(), round, worker), schedule.stepEpochs()));
        }
        return results;
    }

    private List<WorkerResult> runProcesses(SparseTraining training, ModelState state, List<List<Integer>> groups, int round) {
        if (launcher == null) {
            throw new IllegalStateException("process workers need a launcher: set PGap.Builder.launcher(...)");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("prune4j-pgap-");
            Path in = dir.resolve("round-" + round + ".state");
            state.write(in);
            List<Process> processes = new ArrayList<>();
            List<Path> outs = new ArrayList<>();
            for (int worker = 0; worker < groups.size(); worker++) {
                Path out = dir.resolve("worker-" + worker + ".state");
                outs.add(out);
                processes.add(launcher.start(in, out, groups.get(worker),
                        workerSeed(training.getSeed(), round, worker), schedule.stepEpochs(), dir.resolve("worker-" + worker + ".log")));
            }
            List<WorkerResult> results = new ArrayList<>();
            for (int worker = 0; worker < processes.size(); worker++) {
                int status = processes.get(worker).waitFor();
                if (status != 0) {
                    String log = Files.readString(dir.resolve("worker-" + worker + ".log"), StandardCharsets.UTF_8);
                    throw new IllegalStateException("P-GaP worker " + worker + " of round " + round + " exited with " + status
                            + ":\n" + tail(log));
                }
                results.add(WorkerResult.read(outs.get(worker)));
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for P-GaP workers", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // A leftover temp folder is harmless.
        }
    }

    /**
     * One worker: T epochs from {@code start} with {@code grow} dense, data order from {@code seed}.
     * The same code runs in this JVM and in a worker process.
     */
    public static WorkerResult trainWorker(SparseTraining training, ModelState start, List<Integer> grow, long seed, int epochs) {
        GrowFrom method = new GrowFrom(start, grow, 0);
        Run run = training.copy().method(method).epochs(epochs).seed(seed).fit();
        EpochStats last = run.historyRows().get(run.historyRows().size() - 1);
        return new WorkerResult(method.end(), last.loss(), last.trainAccuracy(), last.learningRate());
    }

    /**
     * The combined model: partition i's weights and biases from worker i (dense, unmasked), every other
     * parameter as the mean over the workers; masks all absent (the caller prunes to target next).
     */
    static ModelState combine(List<ModelState> workers, List<List<Integer>> groups, List<String> layers) {
        ModelState first = workers.get(0);
        List<float[]> values = new ArrayList<>();
        for (int p = 0; p < first.names().size(); p++) {
            String name = first.names().get(p);
            int owner = ownerWorker(name, groups, layers);
            if (owner >= 0) {
                values.add(workers.get(owner).parameters().get(p).clone());
            } else {
                float[] mean = new float[first.parameters().get(p).length];
                for (ModelState worker : workers) {
                    float[] v = worker.parameters().get(p);
                    for (int j = 0; j < mean.length; j++) {
                        mean[j] += v[j];
                    }
                }
                for (int j = 0; j < mean.length; j++) {
                    mean[j] /= workers.size();
                }
                values.add(mean);
            }
        }
        List<float[]> masks = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            masks.add(null);
        }
        return new ModelState(first.names(), values, masks);
    }

    /** The worker whose partition holds the layer this parameter belongs to, or -1. */
    static int ownerWorker(String parameter, List<List<Integer>> groups, List<String> layers) {
        for (int layer = 0; layer < layers.size(); layer++) {
            String prefix = layers.get(layer) + "_";
            if (parameter.startsWith(prefix) && parameter.indexOf('_', prefix.length()) < 0) {
                for (int g = 0; g < groups.size(); g++) {
                    if (groups.get(g).contains(layer)) {
                        return g;
                    }
                }
            }
        }
        return -1;
    }

    /** What a worker hands back: its final state and its last epoch's loss, training accuracy and rate. */
    public record WorkerResult(ModelState state, double loss, double trainAccuracy, double learningRate) {

        /** Writes the state and a metrics file next to it. */
        public void write(Path file) {
            state.write(file);
            try {
                Files.writeString(metrics(file), loss + " " + trainAccuracy + " " + learningRate, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static WorkerResult read(Path file) throws IOException {
            String[] m = Files.readString(metrics(file), StandardCharsets.UTF_8).trim().split(" ");
            return new WorkerResult(ModelState.read(file), Double.parseDouble(m[0]), Double.parseDouble(m[1]),
                    Double.parseDouble(m[2]));
        }

        private static Path metrics(Path file) {
            return file.resolveSibling(file.getFileName() + ".metrics");
        }
    }

    /** Fluent settings for {@link PGap}. */
    public static final class Builder extends GapBuilder<Builder> {
        private Workers workers = Workers.EMBEDDED;
        private WorkerLauncher launcher;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** Where workers run; embedded by default. */
        public Builder workers(Workers workers) {
            this.workers = workers;
            return this;
        }

        /** How to start a worker process (needed for {@link Workers#PROCESSES}). */
        public Builder launcher(WorkerLauncher launcher) {
            this.launcher = launcher;
            return this;
        }

        /** Validates and builds. */
        public PGap build() {
            double sparsity = validSparsity("pgap");
            if (workers == Workers.PROCESSES && launcher == null) {
                throw new IllegalArgumentException("pgap: process workers need a launcher (WorkerLauncher.cli(trainArgs))");
            }
            return new PGap(this, sparsity, validAllocation("pgap"));
        }
    }
}
