package org.prune4j.report;

import org.knowm.xchart.internal.chartpart.Chart;

import org.prune4j.flops.FlopsReport;
import org.prune4j.io.AtomicFiles;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Run}'s folder: its tables as CSV, its charts as PNG and summary.json, each replaced atomically so that a
 * reader sees the old or the new file, never a torn one. summary.json is written last, so a summary that says
 * {@code "partial": false} comes with all the other files of the finished run.
 */
final class RunFiles {

    private RunFiles() {}

    /**
     * Writes the run into {@code dir} (created if missing): history.csv, layers.csv, summary.json,
     * training.png (accuracy and loss) and layers.png; flops.csv when FLOPs were recorded; masks.csv and
     * sparsity.png (sparsity at every mask update) when mask updates were recorded, churn.png when an update
     * regrew weights (SET, RigL, GraNet), timeline.png when a layer was made dense again after being pruned
     * (GaP); input-density.png when the per-input density of a square input was recorded (LeNet-300-100 on
     * MNIST).
     *
     * @return the written files: the tables, the charts, then summary.json
     */
    static List<Path> save(Run run, Path dir) throws IOException {
        List<Path> written = new ArrayList<>(tables(run, dir));
        written.add(png(Charts.training(run), dir.resolve("training.png")));
        written.add(png(Charts.layerDensity(run), dir.resolve("layers.png")));
        if (!run.maskUpdates().isEmpty()) {
            written.add(png(Charts.sparsity(run), dir.resolve("sparsity.png")));
        }
        if (run.maskUpdates().stream().anyMatch(u -> u.step() > 0 && u.regrown() > 0)) {
            written.add(png(Charts.churn(run), dir.resolve("churn.png")));
        }
        if (regrowsALayerToDense(run)) {
            written.add(png(Charts.denseTimeline(run), dir.resolve("timeline.png")));
        }
        Optional<double[]> inputDensity = run.inputDensity();
        if (inputDensity.isPresent() && isSquare(inputDensity.get().length)) {
            written.add(png(Charts.inputDensity(run), dir.resolve("input-density.png")));
        }
        written.add(summary(run, dir));
        return List.copyOf(written);
    }

    /**
     * Writes the tables only, without charts: history.csv, layers.csv, flops.csv when FLOPs were recorded,
     * masks.csv when mask updates were, and summary.json last. A checkpointing trainer keeps an unfinished run's
     * folder up to date this way, with {@code "partial": true} in summary.json.
     *
     * @return the written files
     */
    static List<Path> saveTables(Run run, Path dir) throws IOException {
        List<Path> written = new ArrayList<>(tables(run, dir));
        written.add(summary(run, dir));
        return List.copyOf(written);
    }

    private static List<Path> tables(Run run, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        written.add(AtomicFiles.write(dir.resolve("history.csv"), out -> run.history().write().csv(out)));
        written.add(AtomicFiles.write(dir.resolve("layers.csv"), out -> run.layers().write().csv(out)));
        Optional<FlopsReport> flops = run.flops();
        if (flops.isPresent()) {
            written.add(AtomicFiles.write(dir.resolve("flops.csv"), out -> flops.get().inference().write().csv(out)));
        }
        if (!run.maskUpdates().isEmpty()) {
            written.add(AtomicFiles.write(dir.resolve("masks.csv"), out -> run.maskUpdatesTable().write().csv(out)));
        }
        return written;
    }

    private static Path summary(Run run, Path dir) throws IOException {
        return AtomicFiles.write(dir.resolve("summary.json"), out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writer.write(run.summaryJson());
            writer.write('\n');
            writer.flush();
        });
    }

    /** Whether some layer was pruned and later kept whole again: GaP's grow phase. */
    private static boolean regrowsALayerToDense(Run run) {
        List<LayerStats> layers = run.layerRows();
        for (int layer = 0; layer < layers.size(); layer++) {
            boolean pruned = false;
            for (MaskUpdate update : run.maskUpdates()) {
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

    private static Path png(Chart<?, ?> chart, Path file) throws IOException {
        Charts.savePng(chart, file);
        return file;
    }
}
