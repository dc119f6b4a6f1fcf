package org.prune4j.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.prune4j.recipe.Recipe;
import org.prune4j.flops.FlopsReport;
import tech.tablesaw.api.Table;

/**
 * The result of one training run: what was asked ({@link RunInfo}), the history of every epoch, and the
 * size and density of every masked weight at the end.
 *
 * <p>A {@code Run} is an immutable value. What it renders to lives beside it, one concern a file: Tablesaw tables
 * ({@code RunTables}: {@link #history()}, {@link #layers()}), text and summary.json ({@code RunSummary}:
 * {@link #summary()}, {@link #summaryJson()}), charts ({@link Charts}) and the run folder ({@code RunFiles}:
 * {@link #save(Path)}); the methods here are their entry points, so notebooks keep one object to ask.
 *
 * <pre>{@code
 * Run run = Run.of(info, history, layers, 42.0, 9380).withPartial(false);
 * run.history();                 // Table: epoch, loss, trainAccuracy, testAccuracy, sparsity, lr, seconds
 * run.save(Path.of("runs/gmp")); // history.csv, layers.csv, masks.csv, summary.json, training.png, sparsity.png, ...
 * }</pre>
 */
public final class Run {

    private final RunInfo info;
    private final List<EpochStats> history;
    private final List<LayerStats> layers;
    private final double trainSeconds;
    private final long steps;
    private final boolean partial;
    private final FlopsReport flops;
    private final List<MaskUpdate> maskUpdates;
    private final double[] inputDensity;
    private final Recipe recipe;
    private final KernelPaths kernelPaths;

    private Run(RunInfo info, List<EpochStats> history, List<LayerStats> layers,
                double trainSeconds, long steps, boolean partial, FlopsReport flops,
                List<MaskUpdate> maskUpdates, double[] inputDensity, Recipe recipe, KernelPaths kernelPaths) {
        this.info = info;
        this.history = history;
        this.layers = layers;
        this.trainSeconds = trainSeconds;
        this.steps = steps;
        this.partial = partial;
        this.flops = flops;
        this.maskUpdates = maskUpdates;
        this.inputDensity = inputDensity;
        this.recipe = recipe;
        this.kernelPaths = kernelPaths;
    }

    /**
     * Creates a complete run.
     *
     * @param info         what the run was asked to do
     * @param history      one row per finished epoch, epochs strictly increasing; may be empty for a run
     *                     stopped before its first epoch ended
     * @param layers       every masked weight, names unique
     * @param trainSeconds wall seconds spent training, finite and {@code >= 0}
     * @param steps        optimizer steps taken, {@code >= 0}
     * @return the run, not partial; see {@link #withPartial(boolean)}
     * @throws IllegalArgumentException naming the bad value when an argument is out of range
     */
    public static Run of(RunInfo info, List<EpochStats> history, List<LayerStats> layers,
                         double trainSeconds, long steps) {
        Objects.requireNonNull(info, "info");
        // List.copyOf rejects null elements and freezes the caller's list.
        List<EpochStats> historyCopy = List.copyOf(Objects.requireNonNull(history, "history"));
        List<LayerStats> layersCopy = List.copyOf(Objects.requireNonNull(layers, "layers"));
        for (int i = 1; i < historyCopy.size(); i++) {
            int previous = historyCopy.get(i - 1).epoch();
            int current = historyCopy.get(i).epoch();
            if (current <= previous) {
                throw new IllegalArgumentException("history epoch " + current + " at row " + i
                        + " outside (" + previous + ",inf): epochs must increase");
            }
        }
        Set<String> names = new HashSet<>();
        for (LayerStats layer : layersCopy) {
            if (!names.add(layer.layer())) {
                throw new IllegalArgumentException("layer " + layer.layer() + " appears twice in layers");
            }
        }
        Checks.nonNegative("trainSeconds", trainSeconds);
        Checks.nonNegative("steps", steps);
        return new Run(info, historyCopy, layersCopy, trainSeconds, steps, false, null, List.of(), null, null, null);
    }

    /** This run marked as stopped early ({@code true}) or complete ({@code false}). */
    public Run withPartial(boolean partial) {
        return partial == this.partial ? this
                : new Run(info, history, layers, trainSeconds, steps, partial, flops, maskUpdates, inputDensity, recipe,
                        kernelPaths);
    }

    /** This run with its FLOPs accounting (inference per layer, training from the density trace). */
    public Run withFlops(FlopsReport flops) {
        return new Run(info, history, layers, trainSeconds, steps, partial, Objects.requireNonNull(flops, "flops"),
                maskUpdates, inputDensity, recipe, kernelPaths);
    }

    /**
     * This run with its mask updates, oldest first: what {@link Charts#sparsity}, {@link Charts#churn} and
     * {@link Charts#denseTimeline} draw.
     *
     * @throws IllegalArgumentException if steps decrease, or an update has a count per layer for another
     *                                  number of layers than {@link #layerRows()}
     */
    public Run withMaskUpdates(List<MaskUpdate> updates) {
        List<MaskUpdate> copy = List.copyOf(Objects.requireNonNull(updates, "updates"));
        for (int i = 0; i < copy.size(); i++) {
            if (i > 0 && copy.get(i).step() < copy.get(i - 1).step()) {
                throw new IllegalArgumentException("mask update at step " + copy.get(i).step() + " follows step "
                        + copy.get(i - 1).step() + ": steps must not decrease");
            }
            if (copy.get(i).kept().length != layers.size()) {
                throw new IllegalArgumentException("mask update at step " + copy.get(i).step() + " has "
                        + copy.get(i).kept().length + " layer counts, the run has " + layers.size() + " layers");
            }
        }
        return new Run(info, history, layers, trainSeconds, steps, partial, flops, copy, inputDensity, recipe, kernelPaths);
    }

    /**
     * This run with the fraction of its first layer's weights kept per input (for LeNet-300-100: per pixel),
     * what {@link Charts#inputDensity(Run)} draws.
     *
     * @throws IllegalArgumentException if a value is outside [0,1]
     */
    public Run withInputDensity(double[] perInput) {
        double[] copy = Objects.requireNonNull(perInput, "perInput").clone();
        for (double v : copy) {
            Checks.unit("input density", v);
        }
        return new Run(info, history, layers, trainSeconds, steps, partial, flops, maskUpdates, copy, recipe, kernelPaths);
    }

    /**
     * This run with the recipe it was trained from: summary.json then embeds it under {@code "recipe"}, so the
     * run's own summary says exactly how to train it again.
     */
    public Run withRecipe(Recipe recipe) {
        return new Run(info, history, layers, trainSeconds, steps, partial, flops, maskUpdates, inputDensity,
                Objects.requireNonNull(recipe, "recipe"), kernelPaths);
    }

    /**
     * This run with the path each layer took through the training kernel: summary.json writes it under
     * {@code "trainingKernel"} and the summary's second line names it.
     */
    public Run withKernelPaths(KernelPaths paths) {
        return new Run(info, history, layers, trainSeconds, steps, partial, flops, maskUpdates, inputDensity, recipe,
                Objects.requireNonNull(paths, "paths"));
    }

    /** The path each layer took through the training kernel, when the run took it at all. */
    public Optional<KernelPaths> kernelPaths() {
        return Optional.ofNullable(kernelPaths);
    }

    /** The recipe the run was trained from, when known (a run built through the API alone has none). */
    public Optional<Recipe> recipe() {
        return Optional.ofNullable(recipe);
    }

    /** The mask updates, one row per step at which masks changed (empty when not recorded). */
    public List<MaskUpdate> maskUpdates() {
        return maskUpdates;
    }

    /** The fraction of the first layer's weights kept per input, when recorded (a copy). */
    public Optional<double[]> inputDensity() {
        return Optional.ofNullable(inputDensity).map(double[]::clone);
    }


    /** The FLOPs accounting, when the trainer recorded it (runs built by hand have none). */
    public Optional<FlopsReport> flops() {
        return Optional.ofNullable(flops);
    }

    /** What the run was asked to do. */
    public RunInfo info() {
        return info;
    }

    /** One row per finished epoch, oldest first (unmodifiable). */
    public List<EpochStats> historyRows() {
        return history;
    }

    /** One row per masked weight (unmodifiable). */
    public List<LayerStats> layerRows() {
        return layers;
    }

    /** Wall seconds spent training. */
    public double trainSeconds() {
        return trainSeconds;
    }

    /** Optimizer steps taken. */
    public long steps() {
        return steps;
    }

    /** Whether the run stopped before its planned epochs (interrupted, diverged, out of time). */
    public boolean partial() {
        return partial;
    }

    /**
     * Number of finished epochs: the epoch of the last row of {@link #historyRows()} (0 for none); below
     * {@code info().epochs()} for a partial run. Not the row count: P-GaP records one row per round of T epochs.
     */
    public int epochs() {
        return history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
    }

    /**
     * Sparsity actually reached over the masked weights: {@code 1 - sum(nonzeros) / sum(parameters)}.
     * Weights outside {@link #layerRows()} (biases, norms) do not count. A run without masked weights has
     * sparsity 0: nothing was pruned.
     */
    public double measuredSparsity() {
        long parameters = 0;
        long nonzeros = 0;
        for (LayerStats layer : layers) {
            parameters += layer.parameters();
            nonzeros += layer.nonzeros();
        }
        return parameters == 0 ? 0.0 : 1.0 - (double) nonzeros / parameters;
    }

    /** Test accuracy after the last finished epoch; NaN if no epoch finished. */
    public double testAccuracy() {
        return history.isEmpty() ? Double.NaN : history.get(history.size() - 1).testAccuracy();
    }

    /** Training throughput: {@code steps / trainSeconds}; NaN if no time was measured. */
    public double stepsPerSecond() {
        return trainSeconds > 0 ? steps / trainSeconds : Double.NaN;
    }

    /**
     * The mask updates as a table named "masks": step, epoch, sparsity (of the masked weights after the
     * update), dropped, regrown, survived, then the weights kept per layer, one column per layer name.
     */
    public Table maskUpdatesTable() {
        return RunTables.maskUpdates(this);
    }

    /** The history as a table named "history": epoch (int), loss, trainAccuracy, testAccuracy, sparsity, lr, seconds. */
    public Table history() {
        return RunTables.history(this);
    }

    /**
     * The masked weights as a table named "layers": layer, shape (like {@code "300x784"}), parameters (long),
     * nonzeros (long), density. The last row, layer {@code "total"} with an empty shape, sums all weights.
     */
    public Table layers() {
        return RunTables.layers(this);
    }

    /**
     * Two short lines for a log or a notebook cell, for example:
     * <pre>
     * gmp on lenet300/mnist: sparsity 0.900 target, 0.897 measured; test accuracy 0.9812
     * 20 epochs in 61.3 s (153.0 steps/s), seed 1, cpu()
     * </pre>
     */
    public String summary() {
        return RunSummary.text(this);
    }

    /** The headline numbers and the recipe as the pretty-printed JSON of summary.json ({@link RunSummary#json}). */
    public String summaryJson() {
        return RunSummary.json(this);
    }

    /**
     * Writes the run into {@code dir}: its tables, charts and summary.json, each atomically ({@link RunFiles#save}).
     *
     * @return the written files: the tables, summary.json, then the charts
     * @throws IOException if a file cannot be written
     */
    public List<Path> save(Path dir) throws IOException {
        return RunFiles.save(this, dir);
    }

    /**
     * Writes the tables and summary.json only, without charts ({@link RunFiles#saveTables}): how a checkpointing
     * trainer keeps an unfinished run's folder up to date, with {@code "partial": true}.
     *
     * @return the written files
     * @throws IOException if a file cannot be written
     */
    public List<Path> saveTables(Path dir) throws IOException {
        return RunFiles.saveTables(this, dir);
    }

    /** Same as {@link #summary()}. */
    @Override
    public String toString() {
        return summary();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Run that
                && info.equals(that.info)
                && history.equals(that.history)
                && layers.equals(that.layers)
                && Double.compare(trainSeconds, that.trainSeconds) == 0
                && steps == that.steps
                && partial == that.partial;
    }

    @Override
    public int hashCode() {
        return Objects.hash(info, history, layers, trainSeconds, steps, partial);
    }
}
