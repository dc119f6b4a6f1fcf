package org.prune4j.train;

import ai.djl.Device;
import ai.djl.nn.Block;

import org.prune4j.data.DataSplit;
import org.prune4j.method.Dense;
import org.prune4j.method.SparsityMethod;
import org.prune4j.nn.ModelSpec;
import org.prune4j.nn.Models;
import org.prune4j.optim.OptimizerSpec;
import org.prune4j.optim.Optimizers;
import org.prune4j.recipe.Recipe;
import org.prune4j.report.Run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A fluent description of one sparse training run; {@link #fit()} trains and returns the {@link Run}.
 *
 * <pre>{@code
 * Run run = SparseTraining.of("lenet300", Datasets.mnist())
 *         .method(Gmp.builder().sparsity(0.9).build())
 *         .optimizer(Optimizers.sgd().lr(0.1).momentum(0.9).cosineLr())
 *         .epochs(3).seed(1)
 *         .fit();
 * }</pre>
 */
public final class SparseTraining {

    final String modelName;
    final IntFunction<Block> modelFactory;
    final DataSplit data;
    SparsityMethod method = new Dense();
    OptimizerSpec optimizer = defaultOptimizer(0.1);
    int epochs = 3;
    int batchSize = 64;
    long seed = 1;
    Device device;
    Progress progress;
    final List<String> includes = new ArrayList<>();
    final List<String> excludes = new ArrayList<>();
    Path modelDir;
    int finiteCheckEvery = FiniteCheck.DEFAULT_EVERY;
    Path checkpointDir;
    CheckpointInterval checkpointInterval = CheckpointInterval.epochs(1);
    Path resumeDir;
    Recipe recipe;
    SparseKernel sparseKernel = SparseKernel.AUTO;

    /** The checkpoint's file name in a checkpoint folder. */
    public static final String CHECKPOINT_FILE = "checkpoint.p4c";

    private SparseTraining(String modelName, IntFunction<Block> modelFactory, DataSplit data) {
        this.modelName = modelName;
        this.modelFactory = modelFactory;
        this.data = Objects.requireNonNull(data, "data");
    }

    /** A run of a zoo model, by name ({@link Models#names()}), sized to the data's classes. */
    public static SparseTraining of(String modelName, DataSplit data) {
        ModelSpec spec = Models.spec(modelName);
        SparseTraining training = new SparseTraining(modelName, classes -> Models.byName(modelName, classes), data)
                .optimizer(spec.optimizer().equals("adamw")
                        ? Optimizers.adamW().lr(spec.learningRate()).weightDecay(0.01).cosineLr()
                        : defaultOptimizer(spec.learningRate()));
        // BERT's embedding and classifier stay dense unless asked (alsoPrune), as the pruning papers leave them.
        spec.denseByDefault().forEach(layer -> training.excludes.add(exactly(layer)));
        return training;
    }

    private static String exactly(String layer) {
        return "^" + java.util.regex.Pattern.quote(layer) + "$";
    }

    /**
     * Masks layers the zoo model keeps dense by default ({@link ModelSpec#denseByDefault()}): for BERT-Tiny
     * {@code "embedding"}, {@code "classifier"} or both. Exclude patterns given after this call still apply.
     *
     * @throws IllegalArgumentException naming a layer the model does not keep dense, and those it does
     */
    public SparseTraining alsoPrune(String... layers) {
        List<String> keptDense = Models.specs().stream().filter(spec -> spec.name().equals(modelName)).findFirst()
                .map(ModelSpec::denseByDefault).orElse(List.of());
        for (String layer : layers) {
            if (!keptDense.contains(layer)) {
                throw new IllegalArgumentException("'" + layer + "' is not a layer " + modelName + " keeps dense: expected "
                        + (keptDense.isEmpty() ? "nothing (it masks every layer already)" : String.join(" or ", keptDense)));
            }
            excludes.remove(exactly(layer));
        }
        return this;
    }

    /**
     * Masks every maskable layer, also those the zoo model keeps dense by default (BERT-Tiny's embedding and
     * classifier, {@link ModelSpec#denseByDefault()}); exclude patterns given after this call still apply.
     */
    public SparseTraining pruneEveryLayer() {
        Models.specs().forEach(spec -> spec.denseByDefault().forEach(layer -> excludes.remove(exactly(layer))));
        return this;
    }

    /** SGD with momentum 0.9, weight decay 5e-4 and cosine decay from the given rate. */
    static OptimizerSpec defaultOptimizer(double learningRate) {
        return Optimizers.sgd().lr(learningRate).momentum(0.9).weightDecay(5e-4).cosineLr();
    }

    /**
     * A run of any DJL block. Pass a factory so that every {@link #fit()} starts from a fresh,
     * uninitialised block: re-running a notebook cell must not continue from the last run's weights.
     */
    public static SparseTraining of(String modelName, IntFunction<Block> modelFactory, DataSplit data) {
        return new SparseTraining(modelName, modelFactory, data);
    }

    /** The sparsity method; dense by default. */
    public SparseTraining method(SparsityMethod method) {
        this.method = Objects.requireNonNull(method, "method");
        return this;
    }

    /**
     * The optimizer; by default SGD with momentum 0.9, weight decay 5e-4 and cosine decay from the zoo
     * model's learning rate ({@link org.prune4j.nn.ModelSpec#learningRate()}; 0.1 for other blocks).
     */
    public SparseTraining optimizer(OptimizerSpec optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        return this;
    }

    /** Number of epochs; 3 by default. */
    public SparseTraining epochs(int epochs) {
        this.epochs = epochs;
        return this;
    }

    /** Mini-batch size; 64 by default. */
    public SparseTraining batchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
    }

    /** The seed for weights, data order and random masks; the same seed on the CPU gives the same run. */
    public SparseTraining seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Forces a device; by default a GPU when DJL sees one, else the CPU ({@link Devices#auto()}). */
    public SparseTraining device(Device device) {
        this.device = device;
        return this;
    }

    /** How progress is shown; a bar in a terminal, one line per epoch elsewhere, by default. */
    public SparseTraining progress(Progress progress) {
        this.progress = progress;
        return this;
    }

    /** Masks only layers whose name matches this regular expression (may be repeated). */
    public SparseTraining include(String layerRegex) {
        includes.add(layerRegex);
        return this;
    }

    /** Never masks layers whose name matches this regular expression (may be repeated). */
    public SparseTraining exclude(String layerRegex) {
        excludes.add(layerRegex);
        return this;
    }

    /**
     * Also saves the trained model into {@code dir}: DJL's {@code model.params} and a {@code model.json}
     * header (model, classes, input shape, dataset), which {@code ./prune4j export --run DIR} compresses.
     */
    public SparseTraining saveModelTo(Path dir) {
        this.modelDir = dir;
        return this;
    }

    /**
     * Writes checkpoints into {@code dir} ({@value #CHECKPOINT_FILE}: weights, masks, optimizer state,
     * position, random states, the method's state and the history so far; replaced atomically), every
     * epoch unless {@link #checkpointEvery} says otherwise, and at the end. Alongside, the run's tables
     * (history.csv, layers.csv, summary.json with {@code "partial": true}) are kept up to date, so an
     * unfinished run's outputs say that they are partial. Null turns checkpoints off.
     */
    public SparseTraining checkpointTo(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** How often to checkpoint; every epoch by default. */
    public SparseTraining checkpointEvery(CheckpointInterval interval) {
        this.checkpointInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /** How often to checkpoint, as {@code "2e"} (epochs), {@code "500s"} (steps) or {@code "off"}. */
    public SparseTraining checkpointEvery(String interval) {
        return checkpointEvery(CheckpointInterval.parse(interval));
    }

    /**
     * Continues the run whose checkpoint is in {@code dir} instead of starting afresh; this configuration
     * must describe the same run (model, data, method, optimizer, epochs, batch size, seed), or
     * {@link #fit()} refuses with a {@link CheckpointException} before writing anything. Checkpoints go
     * on into {@code dir} unless {@link #checkpointTo} names another folder. On the CPU, the result equals
     * the uninterrupted run's.
     */
    public SparseTraining resumeFrom(Path dir) {
        this.resumeDir = dir;
        return this;
    }

    /**
     * Whether steps of an MLP go through the training kernel, which runs each layer at its kept weights only or
     * dense, whichever a calibrated cost model says is faster ({@link SparseKernel}; default {@code auto}: wherever
     * the run allows it; steps where the method reads dense gradients, such as RigL's updates, stay on DJL's path).
     * Results agree with DJL's path ({@code off}) within float rounding, not bit for bit.
     */
    public SparseTraining sparseKernel(SparseKernel mode) {
        this.sparseKernel = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /** Validates the settings, naming any bad value and the accepted range. */
    public SparseTraining validate() {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs " + epochs + " must be at least 1");
        }
        if (batchSize < 1 || batchSize > data.train().size()) {
            throw new IllegalArgumentException("batch size " + batchSize + " is outside [1, " + data.train().size() + "]");
        }
        return this;
    }

    /**
     * Starts a run to be driven one step at a time ({@link TrainingSession#trainStep()}): builds and
     * initialises the model, copies the data to the device and calls the method's start hook. The
     * caller closes the session. {@link #fit()} runs on the same step.
     */
    public TrainingSession session() {
        validate();
        return new TrainingSession(this);
    }

    /** Trains and returns the run's results. */
    public Run fit() {
        validate();
        try (SparseTrainer trainer = new SparseTrainer(this)) {
            return trainer.run();
        }
    }

    /**
     * An independent copy of this configuration (same model factory, data, method, optimizer and
     * settings), for runners that train several times from one description, such as P-GaP's workers.
     * Checkpoint, resume and model folders are not copied: a copy writes no files.
     */
    public SparseTraining copy() {
        SparseTraining copy = new SparseTraining(modelName, modelFactory, data);
        copy.method = method;
        copy.optimizer = optimizer;
        copy.epochs = epochs;
        copy.batchSize = batchSize;
        copy.seed = seed;
        copy.device = device;
        copy.progress = progress;
        copy.includes.addAll(includes);
        copy.excludes.addAll(excludes);
        copy.finiteCheckEvery = finiteCheckEvery;
        copy.sparseKernel = sparseKernel;
        return copy;
    }

    /**
     * The recipe this training was built from (the command line builds every training from one): the run's
     * summary.json embeds it and the checkpoint's fingerprint includes it. Optional; {@link #copy()} does not
     * carry it, since a copy is trained with other epochs, seeds or methods (P-GaP's workers).
     */
    public SparseTraining recipe(Recipe recipe) {
        this.recipe = recipe;
        return this;
    }

    /** The recipe this training was built from, or null. */
    public Recipe getRecipe() {
        return recipe;
    }

    /** The model's name, as runs report it. */
    public String getModelName() {
        return modelName;
    }

    /** The data. */
    public DataSplit getData() {
        return data;
    }

    /** The number of epochs. */
    public int getEpochs() {
        return epochs;
    }

    /** The seed. */
    public long getSeed() {
        return seed;
    }
}
