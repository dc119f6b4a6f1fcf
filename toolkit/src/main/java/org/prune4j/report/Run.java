package org.prune4j.report;

import org.prune4j.io.AtomicFiles;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.prune4j.recipe.Recipe;
import org.prune4j.flops.FlopsReport;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The result of one training run: what was asked ({@link RunInfo}), the history of every epoch, and the
 * size and density of every masked weight at the end.
 *
 * <p>A {@code Run} is an immutable value that renders itself: as Tablesaw tables ({@link #history()},
 * {@link #layers()}), as text ({@link #summary()}, {@link #summaryJson()}), as charts (through
 * {@link Charts}) and as files ({@link #save(Path)}).
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

    private Run(RunInfo info, List<EpochStats> history, List<LayerStats> layers,
                double trainSeconds, long steps, boolean partial, FlopsReport flops,
                List<MaskUpdate> maskUpdates, double[] inputDensity, Recipe recipe) {
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
        return new Run(info, historyCopy, layersCopy, trainSeconds, steps, false, null, List.of(), null, null);
    }

    /** This run marked as stopped early ({@code true}) or complete ({@code false}). */
    public Run withPartial(boolean partial) {
        return partial == this.partial ? this
                : new Run(info, history, layers, trainSeconds, steps, partial, flops, maskUpdates, inputDensity, recipe);
    }

    /** This run with its FLOPs accounting (inference per layer, training from the density trace). */
    public Run withFlops(FlopsReport flops) {
        return new Run(info, history, layers, trainSeconds, steps, partial, Objects.requireNonNull(flops, "flops"),
                maskUpdates, inputDensity, recipe);
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
        return new Run(info, history, layers, trainSeconds, steps, partial, flops, copy, inputDensity, recipe);
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
        return new Run(info, history, layers, trainSeconds, steps, partial, flops, maskUpdates, copy, recipe);
    }

    /**
     * This run with the recipe it was trained from: summary.json then embeds it under {@code "recipe"}, so the
     * run's own summary says exactly how to train it again.
     */
    public Run withRecipe(Recipe recipe) {
        return new Run(info, history, layers, trainSeconds, steps, partial, flops, maskUpdates, inputDensity,
                Objects.requireNonNull(recipe, "recipe"));
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

    /**
     * The mask updates as a table named "masks": step, epoch, sparsity (of the masked weights after the
     * update), dropped, regrown, survived, then the weights kept per layer, one column per layer name.
     */
    public Table maskUpdatesTable() {
        long total = layers.stream().mapToLong(LayerStats::parameters).sum();
        Table table = Table.create("masks", LongColumn.create("step"), DoubleColumn.create("epoch"),
                DoubleColumn.create("sparsity"), LongColumn.create("dropped"), LongColumn.create("regrown"),
                LongColumn.create("survived"));
        for (LayerStats layer : layers) {
            table.addColumns(LongColumn.create(layer.layer()));
        }
        for (MaskUpdate update : maskUpdates) {
            table.longColumn("step").append(update.step());
            table.doubleColumn("epoch").append(update.epoch());
            table.doubleColumn("sparsity").append(total == 0 ? 0.0 : 1.0 - (double) update.keptTotal() / total);
            table.longColumn("dropped").append(update.dropped());
            table.longColumn("regrown").append(update.regrown());
            table.longColumn("survived").append(update.survived());
            long[] kept = update.kept();
            for (int i = 0; i < layers.size(); i++) {
                table.longColumn(layers.get(i).layer()).append(kept[i]);
            }
        }
        Formats.fixed(table.doubleColumn("epoch"), 3);
        Formats.fixed(table.doubleColumn("sparsity"), 4);
        return table;
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

    /** The history as a table named "history": epoch (int), loss, trainAccuracy, testAccuracy, sparsity, lr, seconds. */
    public Table history() {
        int n = history.size();
        int[] epoch = new int[n];
        double[] loss = new double[n];
        double[] train = new double[n];
        double[] test = new double[n];
        double[] sparsity = new double[n];
        double[] lr = new double[n];
        double[] seconds = new double[n];
        for (int i = 0; i < n; i++) {
            EpochStats row = history.get(i);
            epoch[i] = row.epoch();
            loss[i] = row.loss();
            train[i] = row.trainAccuracy();
            test[i] = row.testAccuracy();
            sparsity[i] = row.sparsity();
            lr[i] = row.learningRate();
            seconds[i] = row.seconds();
        }
        return Table.create("history",
                IntColumn.create("epoch", epoch),
                Formats.fixed(DoubleColumn.create("loss", loss), 4),
                Formats.fixed(DoubleColumn.create("trainAccuracy", train), 4),
                Formats.fixed(DoubleColumn.create("testAccuracy", test), 4),
                Formats.fixed(DoubleColumn.create("sparsity", sparsity), 4),
                Formats.compact(DoubleColumn.create("lr", lr), 6),
                Formats.fixed(DoubleColumn.create("seconds", seconds), 2));
    }

    /**
     * The masked weights as a table named "layers": layer, shape (like {@code "300x784"}), parameters (long),
     * nonzeros (long), density. The last row, layer {@code "total"} with an empty shape, sums all weights.
     */
    public Table layers() {
        int n = layers.size();
        String[] name = new String[n + 1];
        String[] shape = new String[n + 1];
        long[] parameters = new long[n + 1];
        long[] nonzeros = new long[n + 1];
        double[] density = new double[n + 1];
        for (int i = 0; i < n; i++) {
            LayerStats row = layers.get(i);
            name[i] = row.layer();
            shape[i] = row.shapeText();
            parameters[i] = row.parameters();
            nonzeros[i] = row.nonzeros();
            density[i] = row.density();
            parameters[n] += row.parameters();
            nonzeros[n] += row.nonzeros();
        }
        name[n] = "total";
        shape[n] = "";
        density[n] = parameters[n] == 0 ? Double.NaN : (double) nonzeros[n] / parameters[n];
        return Table.create("layers",
                StringColumn.create("layer", name),
                StringColumn.create("shape", shape),
                LongColumn.create("parameters", parameters),
                LongColumn.create("nonzeros", nonzeros),
                Formats.fixed(DoubleColumn.create("density", density), 4));
    }

    /**
     * Two short lines for a log or a notebook cell, for example:
     * <pre>
     * gmp on lenet300/mnist: sparsity 0.900 target, 0.897 measured; test accuracy 0.9812
     * 20 epochs in 61.3 s (153.0 steps/s), seed 1, cpu()
     * </pre>
     */
    public String summary() {
        String first = String.format(Locale.ROOT, "%s on %s/%s: sparsity %.3f target, %.3f measured; test accuracy %.4f",
                info.method(), info.model(), info.dataset(), info.targetSparsity(), measuredSparsity(), testAccuracy());
        String epochs = partial ? epochs() + " of " + info.epochs() + " epochs (stopped early)" : epochs() + " epochs";
        String second = String.format(Locale.ROOT, "%s in %.1f s (%.1f steps/s), seed %d, %s",
                epochs, trainSeconds, stepsPerSecond(), info.seed(), info.device());
        return first + "\n" + second;
    }

    /**
     * The headline numbers as a pretty-printed JSON object with the fields model, dataset, method,
     * targetSparsity, measuredSparsity, testAccuracy, epochs (finished epochs), trainSeconds,
     * stepsPerSecond, seed, device, partial, and the FLOPs fields inferenceFlopsDense, inferenceFlopsSparse
     * (per example), trainingFlops and trainingFlopsDense (whole run; null when not recorded), and recipe (the
     * {@link Recipe} it was trained from, null when not known). A number that is undefined (NaN, such as the test accuracy
     * of a run without a finished epoch) is written as {@code null}, since JSON has no NaN.
     */
    public String summaryJson() {
        JsonObject json = new JsonObject();
        json.addProperty("model", info.model());
        json.addProperty("dataset", info.dataset());
        json.addProperty("method", info.method());
        json.add("targetSparsity", number(info.targetSparsity()));
        json.add("measuredSparsity", number(measuredSparsity()));
        json.add("testAccuracy", number(testAccuracy()));
        json.addProperty("epochs", epochs());
        json.add("trainSeconds", number(trainSeconds));
        json.add("stepsPerSecond", number(stepsPerSecond()));
        json.addProperty("seed", info.seed());
        json.addProperty("device", info.device());
        json.addProperty("partial", partial);
        // FLOPs (2 x multiply-accumulates of Linear/conv weights): inference per example, training for the run.
        json.add("inferenceFlopsDense", flops == null ? JsonNull.INSTANCE : number(flops.inferenceDense()));
        json.add("inferenceFlopsSparse", flops == null ? JsonNull.INSTANCE : number(flops.inferenceSparse()));
        json.add("trainingFlops", flops == null ? JsonNull.INSTANCE : number(flops.training()));
        json.add("trainingFlopsDense", flops == null ? JsonNull.INSTANCE : number(flops.trainingDense()));
        // The recipe, when known, last: the settings to train this run again (train --recipe reads this object).
        json.add("recipe", recipe == null ? JsonNull.INSTANCE : JsonParser.parseString(recipe.toJson()));
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json);
    }

    private static JsonElement number(double value) {
        return Double.isFinite(value) ? new JsonPrimitive(value) : JsonNull.INSTANCE;
    }

    /**
     * Writes the run into {@code dir} (created if missing): history.csv, layers.csv, summary.json,
     * training.png (accuracy and loss) and layers.png; flops.csv when FLOPs were recorded; masks.csv and
     * sparsity.png (sparsity at every mask update) when mask updates were recorded, churn.png when an update
     * regrew weights (SET, RigL, GraNet), timeline.png when a layer was made dense again after being pruned
     * (GaP); input-density.png when the per-input density of a square input was recorded (LeNet-300-100 on
     * MNIST). Each file is replaced atomically, so a reader sees the old or the new file, never a torn one;
     * summary.json is written last, so a summary that says {@code "partial": false} comes with all the other
     * files of the finished run.
     *
     * @return the written files: the tables, summary.json, then the charts
     * @throws IOException if a file cannot be written
     */
    public List<Path> save(Path dir) throws IOException {
        List<Path> written = new ArrayList<>(saveTablesOnly(dir));
        written.add(png(Charts.training(this), dir.resolve("training.png")));
        written.add(png(Charts.layerDensity(this), dir.resolve("layers.png")));
        if (!maskUpdates.isEmpty()) {
            written.add(png(Charts.sparsity(this), dir.resolve("sparsity.png")));
        }
        if (maskUpdates.stream().anyMatch(u -> u.step() > 0 && u.regrown() > 0)) {
            written.add(png(Charts.churn(this), dir.resolve("churn.png")));
        }
        if (regrowsALayerToDense()) {
            written.add(png(Charts.denseTimeline(this), dir.resolve("timeline.png")));
        }
        if (inputDensity != null && isSquare(inputDensity.length)) {
            written.add(png(Charts.inputDensity(this), dir.resolve("input-density.png")));
        }
        written.add(writeSummary(dir));
        return List.copyOf(written);
    }

    /** Whether some layer was pruned and later kept whole again: GaP's grow phase. */
    private boolean regrowsALayerToDense() {
        for (int layer = 0; layer < layers.size(); layer++) {
            boolean pruned = false;
            for (MaskUpdate update : maskUpdates) {
                boolean dense = update.kept()[layer] == layers.get(layer).parameters();
                if (pruned && dense) {
                    return true;
                }
                pruned |= !dense;
            }
        }
        return false;
    }

    private static boolean isSquare(int n) {
        int side = (int) Math.round(Math.sqrt(n));
        return n > 0 && side * side == n;
    }

    private List<Path> saveTablesOnly(Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        written.add(writeHistory(dir));
        written.add(writeLayers(dir));
        Path flopsTable = writeFlops(dir);
        if (flopsTable != null) {
            written.add(flopsTable);
        }
        if (!maskUpdates.isEmpty()) {
            written.add(AtomicFiles.write(dir.resolve("masks.csv"), out -> maskUpdatesTable().write().csv(out)));
        }
        return written;
    }

    /**
     * Writes the tables only, without charts: history.csv, layers.csv, flops.csv when FLOPs were recorded,
     * masks.csv when mask updates were, and summary.json last, each atomically. A checkpointing trainer keeps an unfinished run's folder
     * up to date this way, with {@code "partial": true} in summary.json.
     *
     * @return the written files
     * @throws IOException if a file cannot be written
     */
    public List<Path> saveTables(Path dir) throws IOException {
        List<Path> written = new ArrayList<>(saveTablesOnly(dir));
        written.add(writeSummary(dir));
        return List.copyOf(written);
    }

    private Path writeHistory(Path dir) throws IOException {
        return AtomicFiles.write(dir.resolve("history.csv"), out -> history().write().csv(out));
    }

    private Path writeLayers(Path dir) throws IOException {
        return AtomicFiles.write(dir.resolve("layers.csv"), out -> layers().write().csv(out));
    }

    private Path writeFlops(Path dir) throws IOException {
        return flops == null ? null : AtomicFiles.write(dir.resolve("flops.csv"), out -> flops.inference().write().csv(out));
    }

    private Path writeSummary(Path dir) throws IOException {
        return AtomicFiles.write(dir.resolve("summary.json"), out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writer.write(summaryJson());
            writer.write('\n');
            writer.flush();
        });
    }

    private static Path png(Chart<?, ?> chart, Path file) throws IOException {
        Charts.savePng(chart, file);
        return file;
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
