package org.prune4j.report;

import org.prune4j.io.AtomicFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The runs of a sweep over methods and target sparsities, rendered as one table and one
 * accuracy-vs-sparsity chart.
 */
public final class SweepResult {

    private final List<Run> runs;

    private SweepResult(List<Run> runs) {
        this.runs = runs;
    }

    /** A sweep of the given runs, kept in order (the list is copied; nulls are rejected). */
    public static SweepResult of(List<Run> runs) {
        return new SweepResult(List.copyOf(Objects.requireNonNull(runs, "runs")));
    }

    /** The runs, in the order given (unmodifiable). */
    public List<Run> runs() {
        return runs;
    }

    /**
     * One row per run in a table named "sweep": method, targetSparsity, measuredSparsity, testAccuracy,
     * trainSeconds, epochs (finished epochs, int).
     */
    public Table table() {
        int n = runs.size();
        String[] method = new String[n];
        double[] target = new double[n];
        double[] measured = new double[n];
        double[] accuracy = new double[n];
        double[] seconds = new double[n];
        int[] epochs = new int[n];
        for (int i = 0; i < n; i++) {
            Run run = runs.get(i);
            method[i] = run.info().method();
            target[i] = run.info().targetSparsity();
            measured[i] = run.measuredSparsity();
            accuracy[i] = run.testAccuracy();
            seconds[i] = run.trainSeconds();
            epochs[i] = run.epochs();
        }
        return Table.create("sweep",
                StringColumn.create("method", method),
                DoubleColumn.create("targetSparsity", target),
                DoubleColumn.create("measuredSparsity", measured),
                DoubleColumn.create("testAccuracy", accuracy),
                DoubleColumn.create("trainSeconds", seconds),
                IntColumn.create("epochs", epochs));
    }

    /**
     * Test accuracy against sparsity, one series per method, runs of one setting (seeds) as a mean with an
     * error bar: {@link Charts#tradeoff(Table, String)} of {@link #table()}, titled with the model, dataset
     * and epochs of the first run.
     */
    public XYChart chart() {
        if (runs.isEmpty()) {
            return Charts.tradeoff(table());
        }
        RunInfo info = runs.get(0).info();
        return Charts.tradeoff(table(), info.model() + " on " + info.dataset() + ", " + info.epochs() + " epochs");
    }

    /**
     * Writes {@code dir}/sweep.csv, {@code dir}/tradeoff.png and every run into
     * {@code dir/<method>-<targetSparsity>/} (see {@link #runDirectoryNames()}), each file atomically.
     *
     * @return every written file: sweep.csv, tradeoff.png, then each run's files in run order
     * @throws IOException if a file cannot be written
     */
    public List<Path> save(Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        written.add(AtomicFiles.write(dir.resolve("sweep.csv"), out -> table().write().csv(out)));
        Path tradeoff = dir.resolve("tradeoff.png");
        Charts.savePng(chart(), tradeoff);
        written.add(tradeoff);
        List<String> names = runDirectoryNames();
        for (int i = 0; i < runs.size(); i++) {
            written.addAll(runs.get(i).save(dir.resolve(names.get(i))));
        }
        return written;
    }

    /**
     * The directory name of each run, in run order: {@code <method>-<targetSparsity>} such as
     * {@code gmp-0.9}, with characters outside {@code [A-Za-z0-9._-]} replaced by {@code _}. Repeats of a
     * name (the same setting with other seeds) get {@code -2}, {@code -3}, ... so no run overwrites another.
     */
    public List<String> runDirectoryNames() {
        List<String> names = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Run run : runs) {
            String sparsity = BigDecimal.valueOf(run.info().targetSparsity()).stripTrailingZeros().toPlainString();
            String base = (run.info().method() + "-" + sparsity).replaceAll("[^A-Za-z0-9._-]", "_");
            String name = base;
            for (int k = 2; !used.add(name); k++) {
                name = base + "-" + k;
            }
            names.add(name);
        }
        return names;
    }

    /** The sweep table, as Tablesaw prints it. */
    @Override
    public String toString() {
        return table().print();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SweepResult that && runs.equals(that.runs);
    }

    @Override
    public int hashCode() {
        return runs.hashCode();
    }
}
