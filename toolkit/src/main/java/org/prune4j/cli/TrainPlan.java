package org.prune4j.cli;

import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.exec.TrainingExecutor;
import org.prune4j.exec.TrainingExecutors;
import org.prune4j.orchestrate.PGap;
import org.prune4j.method.Methods;
import org.prune4j.method.SparsityMethod;
import org.prune4j.optim.OptimizerSpec;
import org.prune4j.recipe.Recipe;
import org.prune4j.io.AtomicFiles;
import org.prune4j.report.Run;
import org.prune4j.train.CheckpointInterval;
import org.prune4j.train.Devices;
import org.prune4j.train.SparseKernel;
import org.prune4j.train.SparseTraining;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.nio.charset.StandardCharsets;

/**
 * One training as the {@code train} options describe it, validated in full before any data is loaded or any
 * file is written. {@code train} runs one plan; {@code sweep} plans every setting first, so a typo in the
 * last setting stops the sweep before the first training starts, and each sweep row is exactly what the
 * equivalent {@code train} command gives.
 */
record TrainPlan(Recipe recipe, SparsityMethod method, PGap pgap, OptimizerSpec optimizer, String device, Path outDir,
                 CheckpointInterval checkpointEvery, Path resumeDir, String executor, Map<String, String> workerOptions,
                 SparseKernel sparseKernel) {

    /** The default --out folder of a recipe: runs/MODEL-METHOD-SPARSITY, named by the recipe's real sparsity. */
    static Path defaultOutDir(Recipe recipe) {
        return Path.of("runs", recipe.model() + "-" + recipe.method() + "-" + recipe.sparsity());
    }

    /** The file in a run's folder that holds its recipe. */
    static final String RECIPE_FILE = "recipe.json";

    static TrainPlan of(Options options, Path outDir) {
        return of(RecipeOptions.resolve(options), options, outDir);
    }

    /**
     * The plan for a resolved recipe; {@code options} give only where and how it runs (--device, --executor,
     * --checkpoint-every, --resume), never what it computes.
     */
    static TrainPlan of(Recipe recipe, Options options, Path outDir) {
        Options settings = Options.of(recipe.toOptions(), RecipeOptions.all(), Set.of());
        PGap pgap = recipe.method().equals("pgap") ? Main.pgap(recipe.sparsity(), settings) : null;
        String executor = executor(options);
        if (pgap == null && !executor.equals(TrainingExecutors.LOCAL)) {
            throw new UsageException("--executor " + executor + " applies to pgap (its workers) and to sweep (its settings);"
                    + " a " + recipe.method() + " training runs in this JVM");
        }
        SparsityMethod method = pgap == null ? Main.method(recipe.method(), recipe.sparsity(), settings) : null;
        OptimizerSpec optimizer = Main.optimizer(recipe);
        String device = options.text("device", "auto");
        Devices.parse(device);
        String kernel = options.text("sparse-kernel", "auto");
        SparseKernel sparseKernel;
        try {
            sparseKernel = SparseKernel.parse(kernel);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--sparse-kernel '" + kernel + "' is not one of " + SparseKernel.accepted());
        }
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new UsageException("--out " + outDir + " is a file: expected a folder");
        }
        Path resumeDir = options.text("resume", null) == null ? null : Path.of(options.text("resume", null));
        CheckpointInterval checkpointEvery = CheckpointInterval.parse(options.text("checkpoint-every", "1e"));
        if (pgap != null && (resumeDir != null || checkpointEvery.enabled() && options.text("checkpoint-every", null) != null)) {
            throw new UsageException("--resume and --checkpoint-every do not apply to pgap (K worker trainings per round):"
                    + " expected them with one training, such as gmp or cgap");
        }
        if (resumeDir != null) {
            requireCheckpoint(resumeDir);
        }
        return new TrainPlan(recipe, method, pgap, optimizer, device, outDir, checkpointEvery, resumeDir, executor,
                Map.of("device", device), sparseKernel);
    }

    String model() {
        return recipe.model();
    }

    String dataset() {
        return recipe.dataset();
    }

    int epochs() {
        return recipe.epochs();
    }

    private static void requireCheckpoint(Path dir) {
        if (!Files.isRegularFile(dir.resolve(SparseTraining.CHECKPOINT_FILE))) {
            throw new UsageException("--resume " + dir + " holds no " + SparseTraining.CHECKPOINT_FILE
                    + ": expected the --out folder of a run that wrote checkpoints");
        }
    }

    /** --executor, or its old name --workers (embedded = local), checked but not opened. */
    static String executor(Options options) {
        String executor = options.text("executor", null);
        String workers = options.text("workers", null);
        if (executor != null && workers != null) {
            throw new UsageException("--workers is the old name of --executor: give only --executor");
        }
        if (workers != null) {
            executor = switch (workers) {
                case "embedded" -> TrainingExecutors.LOCAL;
                case "processes" -> "processes";
                default -> throw new UsageException("unknown workers mode '" + workers
                        + "': expected embedded or processes (or --executor local|processes|spark://HOST:PORT)");
            };
        }
        executor = executor == null ? TrainingExecutors.LOCAL : executor;
        TrainingExecutors.check(executor);
        return executor;
    }

    /**
     * The recipe's model, data (its train-size subset), masked layers, optimizer, epochs, batch size and seed: a
     * training without a method yet. A P-GaP worker builds its training from its recipe through this too.
     */
    static SparseTraining training(Recipe recipe, OptimizerSpec optimizer) {
        DataSplit data = Datasets.load(recipe.dataset());
        if (recipe.trainSize() > 0) {
            data = data.subset(Math.min(recipe.trainSize(), data.train().size()), data.test().size());
        }
        return Main.alsoPrune(SparseTraining.of(recipe.model(), data), recipe.alsoPrune())
                .optimizer(optimizer).epochs(recipe.epochs()).batchSize(recipe.batchSize()).seed(recipe.seed());
    }

    /** What is trained: the method's or P-GaP's own description. */
    String describe() {
        return pgap != null ? pgap.describe() + ", workers " + (executor.equals(TrainingExecutors.LOCAL)
                ? "in this JVM" : "on " + executor) : method.describe();
    }

    /** Loads the data, trains, prints the run's summary and saves the run into {@link #outDir}. */
    Run run(PrintStream out, boolean listFiles) throws IOException {
        SparseTraining training = training(recipe, optimizer)
                .recipe(recipe)
                .method(method == null ? Methods.dense() : method)
                .device(Devices.parse(device))
                .sparseKernel(sparseKernel)
                .saveModelTo(outDir)
                .validate();
        if (pgap == null) {
            training.checkpointTo(checkpointEvery.enabled() ? outDir : null).checkpointEvery(checkpointEvery)
                    .resumeFrom(resumeDir);
            if (resumeDir == null && Files.isRegularFile(outDir.resolve(SparseTraining.CHECKPOINT_FILE))) {
                out.println("prune4j: " + outDir + " holds a checkpoint; starting over (add --resume " + outDir
                        + " to continue that run instead)");
            }
        }
        out.println("prune4j: " + (resumeDir != null ? "resuming" : "training") + " " + recipe.model() + " on "
                + recipe.dataset() + " with "
                + describe());
        Run run;
        if (pgap == null) {
            run = training.fit();
        } else if (executor.equals(TrainingExecutors.LOCAL)) {
            run = pgap.fit(training);
        } else {
            try (TrainingExecutor workers = TrainingExecutors.open(executor, out::println)) {
                out.println("prune4j: P-GaP workers run " + workers.describe());
                run = pgap.fit(training, workers, recipe, workerOptions);
            }
        }
        out.println();
        out.println(run.summary());
        List<Path> written = new ArrayList<>(run.save(outDir));
        // The recipe beside the results: `train --recipe DIR/recipe.json` runs this training again.
        Path recipeFile = outDir.resolve(RECIPE_FILE);
        AtomicFiles.write(recipeFile, stream -> stream.write((recipe.toJson() + "\n").getBytes(StandardCharsets.UTF_8)));
        written.add(recipeFile);
        if (listFiles) {
            out.println();
            for (Path file : written) {
                out.println("wrote " + file);
            }
        }
        return run;
    }
}
