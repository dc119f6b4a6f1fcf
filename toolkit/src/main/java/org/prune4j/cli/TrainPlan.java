package org.prune4j.cli;

import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.exec.TrainingExecutor;
import org.prune4j.exec.TrainingExecutors;
import org.prune4j.gap.CGap;
import org.prune4j.gap.PGap;
import org.prune4j.mask.NofM;
import org.prune4j.mask.Pattern;
import org.prune4j.method.Methods;
import org.prune4j.method.SparsityMethod;
import org.prune4j.nn.Models;
import org.prune4j.optim.OptimizerSpec;
import org.prune4j.report.Run;
import org.prune4j.train.CheckpointInterval;
import org.prune4j.train.Devices;
import org.prune4j.train.SparseTraining;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One training as the {@code train} options describe it, validated in full before any data is loaded or any
 * file is written. {@code train} runs one plan; {@code sweep} plans every setting first, so a typo in the
 * last setting stops the sweep before the first training starts, and each sweep row is exactly what the
 * equivalent {@code train} command gives.
 */
record TrainPlan(String model, String dataset, SparsityMethod method, PGap pgap, int epochs, int batchSize,
                 int trainSize, long seed, OptimizerSpec optimizer, String device, Path outDir,
                 CheckpointInterval checkpointEvery, Path resumeDir, String executor, List<String> workerArgs) {

    static TrainPlan of(Options options, Path outDir) {
        String model = options.text("model", "lenet300");
        double modelLearningRate = Models.spec(model).learningRate();
        String dataset = options.text("dataset", "mnist");
        Datasets.checkName(dataset);
        String methodName = options.text("method", "gmp");
        Pattern pattern = Pattern.parse(options.text("pattern", "unstructured"));
        double sparsity = options.number("sparsity", pattern instanceof NofM nm ? 1 - nm.density() : 0.9);
        PGap pgap = methodName.equals("pgap") ? Main.pgap(sparsity, options) : null;
        String executor = executor(options);
        if (pgap == null && !executor.equals(TrainingExecutors.LOCAL)) {
            throw new UsageException("--executor " + executor + " applies to pgap (its workers) and to sweep (its settings);"
                    + " a " + methodName + " training runs in this JVM");
        }
        SparsityMethod method = pgap == null ? Main.method(methodName, sparsity, options) : null;
        int defaultEpochs = pgap != null ? pgap.epochs()
                : method instanceof CGap cgap ? cgap.schedule().totalEpochs() : 3;
        int epochs = options.integer("epochs", defaultEpochs, 1, 100_000);
        if ((pgap != null || method instanceof CGap) && epochs != defaultEpochs) {
            throw new UsageException("--epochs " + epochs + " does not match the " + methodName + " schedule: it needs "
                    + defaultEpochs + (pgap != null ? " (R*T + F)" : " (K*T*R + F)") + "; leave --epochs out to use it");
        }
        int batchSize = options.integer("batch-size", 64, 1, 1_000_000);
        int trainSize = options.integer("train-size", 0, 0, Integer.MAX_VALUE);
        long seed = options.longValue("seed", 1);
        OptimizerSpec optimizer = Main.optimizer(options.text("optimizer", "sgd"), options.number("lr", Double.NaN),
                modelLearningRate, options.number("wd", Double.NaN), options.text("lr-schedule", "cosine"));
        String device = options.text("device", "auto");
        Devices.parse(device);
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
        return new TrainPlan(model, dataset, method, pgap, epochs, batchSize, trainSize, seed, optimizer, device, outDir,
                checkpointEvery, resumeDir, executor, workerArgs(options));
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

    /** The train options that rebuild a training in a P-GaP worker task (the model, the data and the recipe). */
    static List<String> workerArgs(Options options) {
        List<String> args = new ArrayList<>();
        for (String name : List.of("model", "dataset", "train-size", "optimizer", "lr", "wd", "lr-schedule", "batch-size",
                "device")) {
            String value = options.text(name, null);
            if (value != null) {
                args.addAll(List.of("--" + name, value));
            }
        }
        return args;
    }

    /** What is trained: the method's or P-GaP's own description. */
    String describe() {
        return pgap != null ? pgap.describe() + ", workers " + (executor.equals(TrainingExecutors.LOCAL)
                ? "in this JVM" : "on " + executor) : method.describe();
    }

    /** Loads the data, trains, prints the run's summary and saves the run into {@link #outDir}. */
    Run run(PrintStream out, boolean listFiles) throws IOException {
        DataSplit data = Datasets.load(dataset);
        if (trainSize > 0) {
            data = data.subset(Math.min(trainSize, data.train().size()), data.test().size());
        }
        SparseTraining training = SparseTraining.of(model, data)
                .method(method == null ? Methods.dense() : method).optimizer(optimizer).epochs(epochs)
                .batchSize(batchSize).seed(seed)
                .device(Devices.parse(device))
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
        out.println("prune4j: " + (resumeDir != null ? "resuming" : "training") + " " + model + " on " + dataset + " with "
                + describe());
        Run run;
        if (pgap == null) {
            run = training.fit();
        } else if (executor.equals(TrainingExecutors.LOCAL)) {
            run = pgap.fit(training);
        } else {
            try (TrainingExecutor workers = TrainingExecutors.open(executor, out::println)) {
                out.println("prune4j: P-GaP workers run " + workers.describe());
                run = pgap.fit(training, workers, workerArgs);
            }
        }
        out.println();
        out.println(run.summary());
        List<Path> written = run.save(outDir);
        if (listFiles) {
            out.println();
            for (Path file : written) {
                out.println("wrote " + file);
            }
        }
        return run;
    }
}
