package org.prune4j.orchestrate;

import org.prune4j.gap.CGap;
import org.prune4j.gap.GapBuilder;
import org.prune4j.gap.GapMasks;
import org.prune4j.gap.GapPlan;
import org.prune4j.gap.GapSchedule;
import org.prune4j.gap.ModelState;
import org.prune4j.gap.Partitioning;
import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.prune4j.exec.TaskResult;
import org.prune4j.exec.TrainingExecutor;
import org.prune4j.exec.TrainingTask;
import org.prune4j.recipe.Recipe;

import org.knowm.xchart.XYChart;
import org.prune4j.density.LayerShape;
import org.prune4j.method.Budget;
import org.prune4j.method.LayerAllocation;
import org.prune4j.method.Methods;
import org.prune4j.method.Scores;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.io.AtomicFiles;
import org.prune4j.report.EpochStats;
import org.prune4j.report.LayerStats;
import org.prune4j.report.Run;
import org.prune4j.report.RunInfo;
import org.prune4j.train.SparseTraining;
import org.prune4j.train.TrainingSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

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
 * epochs (the fine-tune's spans F). {@link #fit(SparseTraining)} runs the workers one after another in this
 * JVM (DJL allows one GradientCollector per process); {@link #fit(SparseTraining, TrainingExecutor, List)}
 * hands each round's K workers to a {@link TrainingExecutor} as {@code pgap-worker} tasks (separate JVMs on
 * this machine, or Spark executors), with the round's start as a {@link ModelState} file and each worker's
 * end state coming back as one. Only complete worker results are combined, so a worker lost mid-round (and
 * retried by the executor) cannot corrupt the combined model; every way gives the same result for a seed.
 */
public final class PGap {

    private final double sparsity;
    private final LayerAllocation allocation;
    private final boolean global;
    private final GapSchedule schedule;
    private final Partitioning partitioning;

    private PGap(Builder builder, double sparsity, LayerAllocation allocation) {
        this.sparsity = sparsity;
        this.global = allocation.budget() == Budget.GLOBAL;
        this.allocation = global ? new LayerAllocation(Budget.UNIFORM, allocation.pattern(), allocation.keepFirstDense(),
                allocation.keepLastDense()) : allocation;
        this.schedule = builder.validSchedule();
        this.partitioning = builder.partitioning();
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
                + (global ? "non-uniform (global)" : allocation) + " prune";
    }

    /** The seed of worker {@code worker} in round {@code round} (round R is the fine-tune). */
    static long workerSeed(long seed, int round, int worker) {
        return seed * 1_000_003L + round * 1_009L + worker + 1;
    }

    /**
     * Trains with every worker in this JVM: random mask at the target, R rounds of K workers, then the
     * fine-tune.
     *
     * @throws IllegalArgumentException when the run's epochs are not R·T + F
     */
    public Run fit(SparseTraining training) {
        return fit(training, null, null, Map.of());
    }

    /**
     * Trains as {@link #fit(SparseTraining)}, with each round's workers run by {@code executor} as
     * {@code pgap-worker} tasks; the fine-tune and the combining stay in this JVM.
     *
     * @param recipe        the recipe that {@code training} was built from: each worker task carries it and rebuilds
     *                      the same model, data, optimizer and batch size from it
     * @param workerOptions run settings of the workers outside the recipe, such as {@code device}
     * @throws IllegalArgumentException when the run's epochs are not R·T + F
     * @throws org.prune4j.exec.TaskFailedException when a worker failed for good
     */
    public Run fit(SparseTraining training, TrainingExecutor executor, Recipe recipe, Map<String, String> workerOptions) {
        training.validate();
        if (executor != null && recipe == null) {
            throw new IllegalArgumentException("P-GaP workers on an executor need the run's recipe: got none");
        }
        if (training.getEpochs() != epochs()) {
            throw new IllegalArgumentException("pgap schedule needs R*T + F = " + schedule.rounds() + "*" + schedule.stepEpochs()
                    + " + " + schedule.finetuneEpochs() + " = " + epochs() + " epochs, the run has " + training.getEpochs());
        }
        long started = System.nanoTime();
        workerPids = new ArrayList<>();
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
                List<WorkerResult> results = executor == null
                        ? runEmbedded(training, state, groups, round)
                        : runTasks(executor, recipe, workerOptions, training.getSeed(), state, groups, round);
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
            Run run = Run.of(info, history, layers, (System.nanoTime() - started) / 1e9, steps);
            return training.getRecipe() == null ? run : run.withRecipe(training.getRecipe());
        }
    }

    private List<float[]> finalMasks;
    private List<Long> workerPids;

    /** The masks at the end of the last {@link #fit}, model order (null for a dense layer); for checks. */
    public List<float[]> finalMasks() {
        return finalMasks;
    }

    /** The process ids the workers of the last {@link #fit} ran in, round by round (this JVM's when embedded). */
    public List<Long> workerPids() {
        return List.copyOf(workerPids);
    }

    private List<WorkerResult> runEmbedded(SparseTraining training, ModelState state, List<List<Integer>> groups, int round) {
        List<WorkerResult> results = new ArrayList<>();
        for (int worker = 0; worker < groups.size(); worker++) {
            results.add(trainWorker(training, state, groups.get(worker),
                    workerSeed(training.getSeed(), round, worker), schedule.stepEpochs()));
            workerPids.add(ProcessHandle.current().pid());
        }
        return results;
    }

    /** One round's workers as executor tasks: the round's start state goes out, each worker's end state comes back. */
    private List<WorkerResult> runTasks(TrainingExecutor executor, Recipe recipe, Map<String, String> workerOptions, long seed,
                                        ModelState state, List<List<Integer>> groups, int round) {
        byte[] start = state.toBytes();
        List<TrainingTask> tasks = new ArrayList<>();
        for (int worker = 0; worker < groups.size(); worker++) {
            Map<String, String> options = new TreeMap<>(workerOptions);
            options.put("grow", groups.get(worker).stream().map(String::valueOf).collect(Collectors.joining(",")));
            options.put("worker-seed", Long.toString(workerSeed(seed, round, worker)));
            options.put("worker-epochs", Integer.toString(schedule.stepEpochs()));
            tasks.add(new TrainingTask("round " + round + " worker " + worker, TrainingTask.PGAP_WORKER, recipe, options,
                    Map.of(WorkerResult.STATE_IN, start)));
        }
        List<WorkerResult> results = new ArrayList<>();
        for (TaskResult result : executor.run(tasks)) {
            results.add(WorkerResult.of(result));
            workerPids.add(result.pid());
        }
        return results;
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

    /**
     * What a worker hands back: its final state and its last epoch's loss, training accuracy and rate. As
     * files (a {@code pgap-worker}'s output folder): {@code worker.state} ({@link ModelState}) and
     * {@code worker.json}.
     */
    public record WorkerResult(ModelState state, double loss, double trainAccuracy, double learningRate) {

        /** The {@code pgap-worker} option that names the start state's file. */
        public static final String STATE_IN = "state-in";
        static final String STATE_FILE = "worker.state";
        static final String METRICS_FILE = "worker.json";

        /** Writes worker.state and worker.json into {@code dir} (created if missing). */
        public void writeTo(Path dir) throws IOException {
            byte[] state = state().toBytes();
            AtomicFiles.write(dir.resolve(STATE_FILE), out -> out.write(state));
            JsonObject metrics = new JsonObject();
            metrics.addProperty("loss", loss);
            metrics.addProperty("trainAccuracy", trainAccuracy);
            metrics.addProperty("learningRate", learningRate);
            AtomicFiles.write(dir.resolve(METRICS_FILE), out -> out.write(metrics.toString().getBytes(StandardCharsets.UTF_8)));
        }

        /** The worker result a {@code pgap-worker} task left. */
        static WorkerResult of(TaskResult task) {
            JsonObject metrics = JsonParser.parseString(new String(task.file(METRICS_FILE), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            return new WorkerResult(ModelState.fromBytes(task.file(STATE_FILE)), metrics.get("loss").getAsDouble(),
                    metrics.get("trainAccuracy").getAsDouble(), metrics.get("learningRate").getAsDouble());
        }
    }

    /** Fluent settings for {@link PGap}. */
    public static final class Builder extends GapBuilder<Builder> {

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** Validates and builds. */
        public PGap build() {
            return new PGap(this, validSparsity("pgap"), validAllocation("pgap"));
        }
    }
}
