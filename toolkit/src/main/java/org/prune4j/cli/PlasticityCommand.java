package org.prune4j.cli;

import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.nn.Models;
import org.prune4j.io.AtomicFiles;
import org.prune4j.report.Charts;
import org.prune4j.train.Plasticity;
import org.prune4j.train.PlasticityResult;
import org.prune4j.train.Progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code ./prune4j plasticity}: GraNet's pruning-plasticity analysis ({@link Plasticity}) from the command line;
 * prints the table and writes {@code plasticity.csv} and {@code plasticity.png} into {@code --out}.
 */
final class PlasticityCommand {

    private PlasticityCommand() {}

    static int run(Options options, PrintStream out) throws IOException {
        String model = options.text("model", "lenet300");
        Models.spec(model);
        String dataset = options.text("dataset", "mnist");
        Datasets.checkName(dataset);
        int[] pruneAt = epochs(options.text("prune-at", null));
        int recoveryEpochs = options.integer("recovery-epochs", 2, 1, 100_000);
        int trainSize = options.integer("train-size", 0, 0, Integer.MAX_VALUE);
        var optimizer = Main.optimizer(options.text("optimizer", Models.spec(model).optimizer()),
                options.number("lr", Double.NaN), model, options.number("wd", Double.NaN),
                // Not cosine: a cosine spans each run's own length (e + k epochs), so runs pruned at different
                // epochs would see different rates at the same epoch. Constant, or step drops at absolute epochs.
                options.text("lr-schedule", "constant"));
        Path outDir = Path.of(options.text("out", "runs/plasticity"));
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new UsageException("--out " + outDir + " is a file: expected a folder");
        }
        double sparsity = options.number("sparsity", RecipeOptions.DEFAULT_SPARSITY);
        Plasticity plasticity = Plasticity.of(model, data(dataset, trainSize))
                .sparsity(sparsity)
                .pruneAt(pruneAt)
                .recoveryEpochs(recoveryEpochs)
                .interval(options.longValue("interval", 100))
                .batchSize(options.integer("batch-size", 128, 1, 1_000_000))
                .seed(options.longValue("seed", 1))
                .optimizer(optimizer)
                .progress(Progress.silent())
                .build();
        out.println("prune4j: plasticity of " + model + " on " + dataset + ": one-shot to sparsity "
                + sparsity + " after epochs " + options.text("prune-at", null) + ", "
                + recoveryEpochs + " epochs to recover, with and without neuroregeneration");
        PlasticityResult result = plasticity.run();
        Files.createDirectories(outDir);
        AtomicFiles.write(outDir.resolve("plasticity.csv"), stream -> result.table().write().csv(stream));
        Charts.savePng(result.chart(model + " on " + dataset + (trainSize > 0 ? " (" + trainSize + " images)" : "")),
                outDir.resolve("plasticity.png"));
        out.println(result.table().printAll());
        return 0;
    }

    private static DataSplit data(String dataset, int trainSize) {
        DataSplit data = Datasets.load(dataset);
        return trainSize > 0 ? data.subset(Math.min(trainSize, data.train().size()), data.test().size()) : data;
    }

    /** "2,4,6" as epochs, or one clear line. */
    static int[] epochs(String text) {
        if (text == null) {
            throw new UsageException("plasticity needs --prune-at, such as --prune-at 2,4,6");
        }
        String[] parts = text.split(",");
        int[] epochs = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                epochs[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--prune-at '" + text + "': '" + parts[i].trim() + "' is not a whole number of epochs");
            }
        }
        return epochs;
    }
}
