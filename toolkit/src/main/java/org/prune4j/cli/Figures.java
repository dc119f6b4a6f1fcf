package org.prune4j.cli;

import org.prune4j.report.ChartFiles;
import org.prune4j.report.Charts;
import org.prune4j.report.EpochCurves;

import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./prune4j figures}: regenerates every image in docs/img, so none is made by hand. The trade-off
 * chart comes from the committed per-seed results of docs/results.md (docs/data/results-dst.csv; re-running
 * that sweep takes hours); the pictures of a run (GraNet's mask churn and kept weights per pixel, C-GaP's
 * timeline) come from short real trainings on MNIST, a few minutes on 2 cores.
 */
final class Figures {

    /** The pictures copied from a run folder into docs/img: run file, then the name in docs/img. */
    private static final List<String[]> GRANET_PICTURES = List.of(
            new String[] {"churn.png", "granet-churn.png"},
            new String[] {"sparsity.png", "granet-sparsity.png"},
            new String[] {"input-density.png", "granet-input-density.png"},
            new String[] {"training.png", "granet-training.png"});

    /** The per-epoch histories of docs/results.md's 40-epoch GaP comparison, beside the trade-off data. */
    static final String GAP_HISTORY = "gap40-history.csv";
    private static final String GAP_TITLE = "LeNet-5 on Fashion-MNIST at 90%, 40 epochs, seed 1: where C-GaP loses";

    private Figures() {}

    static int run(Options options, PrintStream out) throws IOException {
        Path imgDir = Path.of(options.text("out", "docs/img"));
        Path data = Path.of(options.text("data", "docs/data/results-dst.csv"));
        int epochs = options.integer("epochs", 5, 1, 1000);
        boolean training = !options.flag("no-training");
        if (!Files.isRegularFile(data)) {
            throw new UsageException("--data " + data + " is not a file: expected the per-seed results CSV"
                    + " (setting,targetSparsity,seed,measuredSparsity,testAccuracy)");
        }
        List<Path> written = new ArrayList<>();
        Table results = Table.read().csv(CsvReadOptions.builder(data.toFile())
                .columnTypesPartial(java.util.Map.of("setting", ColumnType.STRING)).build());
        var tradeoff = Charts.tradeoff(results, "LeNet-300-100 on MNIST, 20 epochs, mean and sd of 2 seeds");
        written.add(ChartFiles.png(tradeoff, imgDir.resolve("results-dst.png")));
        written.add(ChartFiles.svg(tradeoff, imgDir.resolve("results-dst.svg")));
        // Beside the trade-off data: the per-epoch histories of the 40-epoch GaP comparison (docs/results.md).
        Path gapHistory = data.resolveSibling(GAP_HISTORY);
        if (Files.isRegularFile(gapHistory)) {
            Table history = Table.read().csv(CsvReadOptions.builder(gapHistory.toFile())
                    .columnTypesPartial(java.util.Map.of("setting", ColumnType.STRING)).build());
            written.add(ChartFiles.png(EpochCurves.chart(GAP_TITLE, history), imgDir.resolve("gap40-epochs.png")));
        }
        if (training) {
            Path runs = Path.of(options.text("runs", "runs/figures"));
            train(out, "granet", runs.resolve("granet"), "--method", "granet", "--sparsity", "0.98",
                    "--epochs", Integer.toString(epochs), "--batch-size", "128");
            for (String[] picture : GRANET_PICTURES) {
                written.add(copy(runs.resolve("granet").resolve(picture[0]), imgDir.resolve(picture[1])));
            }
            train(out, "cgap", runs.resolve("cgap"), "--method", "cgap", "--sparsity", "0.9", "--partitions", "3",
                    "--step-epochs", "1", "--rounds", "1", "--batch-size", "128");
            written.add(copy(runs.resolve("cgap").resolve("timeline.png"), imgDir.resolve("cgap-timeline.png")));
        }
        written.forEach(file -> out.println("wrote " + file));
        return 0;
    }

    private static void train(PrintStream out, String name, Path dir, String... options) {
        List<String> args = new ArrayList<>(List.of("train", "--model", "lenet300", "--dataset", "mnist", "--seed", "1",
                "--checkpoint-every", "off", "--out", dir.toString()));
        args.addAll(List.of(options));
        out.println("prune4j figures: training " + name + " (" + String.join(" ", args) + ")");
        int status = Main.run(args.toArray(String[]::new), out, System.err);
        if (status != 0) {
            throw new IllegalStateException("the " + name + " training for the figures failed with status " + status);
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        return Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
}
