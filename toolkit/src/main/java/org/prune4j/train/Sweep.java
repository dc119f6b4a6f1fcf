package org.prune4j.train;

import org.prune4j.data.DataSplit;
import org.prune4j.method.SparsityMethod;
import org.prune4j.optim.OptimizerSpec;
import org.prune4j.report.Run;
import org.prune4j.report.SweepResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleFunction;
import java.util.function.UnaryOperator;

/**
 * A list of (method, sparsity) settings trained one after another with the same model, data and
 * recipe; gives one table and one trade-off chart ({@link SweepResult}).
 *
 * <pre>{@code
 * SweepResult sweep = Sweep.of("lenet300", Datasets.mnist())
 *         .epochs(2)
 *         .add("gmp", s -> Gmp.builder().sparsity(s).build(), 0.5, 0.8, 0.9, 0.95)
 *         .add("static", s -> StaticMask.builder().sparsity(s).build(), 0.5, 0.8, 0.9, 0.95)
 *         .run();
 * }</pre>
 */
public final class Sweep {

    private final String modelName;
    private final DataSplit data;
    private final List<SparsityMethod> settings = new ArrayList<>();
    private UnaryOperator<SparseTraining> recipe = UnaryOperator.identity();
    private int epochs = 3;
    private long seed = 1;
    private Progress progress;

    private Sweep(String modelName, DataSplit data) {
        this.modelName = modelName;
        this.data = Objects.requireNonNull(data, "data");
    }

    /** A sweep over a zoo model on a dataset. */
    public static Sweep of(String modelName, DataSplit data) {
        SparseTraining.of(modelName, data);
        return new Sweep(modelName, data);
    }

    /** Adds one setting. */
    public Sweep add(SparsityMethod method) {
        settings.add(Objects.requireNonNull(method, "method"));
        return this;
    }

    /** Adds one setting per sparsity; the factory builds (and so validates) each method now. */
    public Sweep add(String name, DoubleFunction<SparsityMethod> factory, double... sparsities) {
        if (sparsities.length == 0) {
            throw new IllegalArgumentException("sweep setting '" + name + "' has no sparsities: give at least one in [0, 1)");
        }
        for (double sparsity : sparsities) {
            settings.add(factory.apply(sparsity));
        }
        return this;
    }

    /** Epochs per run; 3 by default. */
    public Sweep epochs(int epochs) {
        this.epochs = epochs;
        return this;
    }

    /** The seed of every run; 1 by default. */
    public Sweep seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The optimizer of every run. */
    public Sweep optimizer(OptimizerSpec optimizer) {
        UnaryOperator<SparseTraining> previous = recipe;
        recipe = training -> previous.apply(training).optimizer(optimizer);
        return this;
    }

    /** Any other setting of every run, such as {@code t -> t.batchSize(128)}. */
    public Sweep configure(UnaryOperator<SparseTraining> setting) {
        UnaryOperator<SparseTraining> previous = recipe;
        recipe = training -> setting.apply(previous.apply(training));
        return this;
    }

    /** How each run shows progress. */
    public Sweep progress(Progress progress) {
        this.progress = progress;
        return this;
    }

    /** The settings, in order. */
    public List<SparsityMethod> settings() {
        return List.copyOf(settings);
    }

    /** Trains every setting in order and gathers the results. */
    public SweepResult run() {
        if (settings.isEmpty()) {
            throw new IllegalArgumentException("the sweep has no settings: add at least one method");
        }
        List<Run> runs = new ArrayList<>();
        for (SparsityMethod method : settings) {
            SparseTraining training = recipe.apply(SparseTraining.of(modelName, data)
                    .method(method).epochs(epochs).seed(seed));
            if (progress != null) {
                training.progress(progress);
            }
            runs.add(training.fit());
        }
        return SweepResult.of(runs);
    }
}
