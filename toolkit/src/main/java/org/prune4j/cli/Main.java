package org.prune4j.cli;

import org.prune4j.bench.StepBenchmark;
import org.prune4j.data.DataSplit;
import org.prune4j.data.DatasetException;
import org.prune4j.data.Datasets;
import org.prune4j.method.Budget;
import org.prune4j.method.Gmp;
import org.prune4j.method.Methods;
import org.prune4j.method.SparsityMethod;
import org.prune4j.method.StaticMask;
import org.prune4j.nn.Models;
import org.prune4j.optim.OptimizerSpec;
import org.prune4j.optim.Optimizers;
import org.prune4j.report.Run;
import org.prune4j.train.Devices;
import org.prune4j.train.SparseTraining;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The {@code ./prune4j} command line: {@code demo}, {@code train} and {@code bench}
 * ({@code test} is handled by the launcher script, which runs Maven).
 */
public final class Main {

    static final String USAGE = String.join("\n",
            "usage: ./prune4j <command> [options]",
            "",
            "commands:",
            "  demo      fetch MNIST if missing, train LeNet-300-100 with GMP to 90% sparsity, print tables, write charts",
            "  train     train one model with one method; writes history.csv, layers.csv, summary.json and charts",
            "  bench     measure a dense step against a masked step and the amortised mask update",
            "  test      run every test (unit, real-training, notebooks)",
            "",
            "train options:",
            "  --model M        " + String.join("|", Models.names()) + " (default lenet300)",
            "  --dataset D      mnist|fashion-mnist|cifar10 (default mnist)",
            "  --method X       " + String.join("|", Methods.NAMES) + " (default gmp)",
            "  --sparsity S     final sparsity in [0, 1) (default 0.9)",
            "  --budget B       uniform|er|erk|global layer budget (default: uniform for gmp, erk for static)",
            "  --interval N     steps between mask updates, dT, for gmp|granet|granet-st|rigl|set (default 100)",
            "  --start-epoch E  (fractional) epoch gmp|granet starts pruning at (default 0)",
            "  --end-epoch E    (fractional) epoch gmp|granet reaches the final sparsity (default 3/4 of the epochs, 1/2 for granet)",
            "  --drop-rate R    granet|granet-st|rigl|set: initial drop rate of the cosine decay (default 0.5 granet, 0.3 rigl/set)",
            "  --initial-sparsity S  granet-st: sparsity of the random ERK start (default 0.5)",
            "  --update-until F rigl|set|granet: fraction of training after which masks stop changing (default 0.75 rigl/set, 1 granet)",
            "  --snip-batches K snip: mini-batches the |g*w| scores are summed over (default 1)",
            "  --rounds R       lth: rounds of train-prune-rewind over the epochs (default 3)",
            "  --prune-fraction P  lth: fraction of remaining weights pruned per round (default: derived from --sparsity)",
            "  --rewind-step K  lth: step whose weights survivors are rewound to (default 0, the initialisation)",
            "  --epochs E       epochs (default 3)",
            "  --batch-size B   mini-batch size (default 64)",
            "  --lr LR          learning rate (sgd: the model's, 0.1, or 0.01 for lenet5; adamw: 1e-3; cosine decay)",
            "  --wd W           weight decay (default 5e-4 for sgd, 0.01 for adamw)",
            "  --optimizer O    sgd|adamw (default sgd)",
            "  --train-size N   use only the first N training images (default: all)",
            "  --seed N         random seed (default 1)",
            "  --device D       auto|cpu|gpu|gpu:N (default auto)",
            "  --out DIR        output folder (default runs/<model>-<method>-<sparsity>)",
            "",
            "bench options:",
            "  --steps N        measured steps per variant, LeNet-300-100 (LeNet-5: half; default 2000)",
            "  --out FILE       also write the results as CSV");

    private static final Set<String> TRAIN_OPTIONS = Set.of("model", "dataset", "method", "sparsity", "budget",
            "interval", "start-epoch", "end-epoch", "wd", "epochs", "batch-size", "lr", "optimizer", "train-size", "seed", "device", "out",
            "drop-rate", "initial-sparsity", "update-until", "snip-batches", "rounds", "prune-fraction", "rewind-step");

    private Main() {}

    /** Runs a command and exits with its status: 0 on success, 2 on bad input, 1 on failure. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns the exit status; never calls System.exit. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            switch (args[0]) {
                case "demo":
                    return train(Options.parse(args, 1, TRAIN_OPTIONS, Set.of()), out, true);
                case "train":
                    return train(Options.parse(args, 1, TRAIN_OPTIONS, Set.of()), out, false);
                case "bench":
                    Options options = Options.parse(args, 1, Set.of("steps", "out"), Set.of());
                    StepBenchmark.run(options.integer("steps", 2000, 100, 1_000_000),
                            options.text("out", null) == null ? null : Path.of(options.text("out", null)), out);
                    return 0;
                default:
                    throw new UsageException("unknown command '" + args[0] + "': expected demo, train, bench or test");
            }
        } catch (DatasetException e) {
            // The message already names the fetch command: the usage would only bury it.
            err.println("prune4j: " + e.getMessage());
            return 2;
        } catch (UsageException | IllegalArgumentException e) {
            err.println("prune4j: " + e.getMessage());
            err.println();
            err.println(USAGE);
            return 2;
        } catch (IOException e) {
            err.println("prune4j: " + e.getMessage());
            return 1;
        }
    }

    private static int train(Options options, PrintStream out, boolean demo) throws IOException {
        // Everything is validated before any file is written or any data is loaded.
        String model = options.text("model", "lenet300");
        double modelLearningRate = Models.spec(model).learningRate();
        String dataset = options.text("dataset", "mnist");
        String methodName = options.text("method", "gmp");
        double sparsity = options.number("sparsity", 0.9);
        SparsityMethod method = method(methodName, sparsity, options);
        int epochs = options.integer("epochs", 3, 1, 100_000);
        int batchSize = options.integer("batch-size", 64, 1, 1_000_000);
        int trainSize = options.integer("train-size", 0, 0, Integer.MAX_VALUE);
        long seed = options.longValue("seed", 1);
        OptimizerSpec optimizer = optimizer(options.text("optimizer", "sgd"), options.number("lr", Double.NaN), modelLearningRate,
                options.number("wd", Double.NaN));
        String device = options.text("device", "auto");
        Path outDir = Path.of(options.text("out", demo ? "runs/demo"
                : "runs/" + model + "-" + methodName + "-" + sparsity));
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new UsageException("--out " + outDir + " is a file: expected a folder");
        }
        DataSplit data = Datasets.load(dataset);
        if (trainSize > 0) {
            data = data.subset(Math.min(trainSize, data.train().size()), data.test().size());
        }
        SparseTraining training = SparseTraining.of(model, data)
                .method(method).optimizer(optimizer).epochs(epochs).batchSize(batchSize).seed(seed)
                .device(Devices.parse(device))
                .validate();
        out.println("prune4j: training " + model + " on " + dataset + " with " + method.describe());
        Run run = training.fit();
        out.println();
        out.println(run.summary());
        out.println();
        out.println(run.history().printAll());
        out.println();
        out.println(run.layers().printAll());
        List<Path> written = run.save(outDir);
        out.println();
        for (Path file : written) {
            out.println("wrote " + file);
        }
        return 0;
    }

    static SparsityMethod method(String name, double sparsity, Options options) {
        if (!Methods.NAMES.contains(name)) {
            throw new UsageException("unknown method '" + name + "': expected one of " + String.join(", ", Methods.NAMES));
        }
        String budget = options.text("budget", null);
        switch (name) {
            case "gmp":
                Gmp.Builder gmp = Gmp.builder().sparsity(sparsity).every(options.longValue("interval", 100))
                        .startEpoch(options.number("start-epoch", 0));
                if (!Double.isNaN(options.number("end-epoch", Double.NaN))) {
                    gmp.endEpoch(options.number("end-epoch", Double.NaN));
                }
                if (budget != null) {
                    gmp.budget(Budget.parse(budget));
                }
                return gmp.build();
            case "static":
                StaticMask.Builder fixed = StaticMask.builder().sparsity(sparsity);
                if (budget != null) {
                    fixed.budget(Budget.parse(budget));
                }
                return fixed.build();
            case "granet":
            case "granet-st":
            case "rigl":
            case "set":
            case "snip":
            case "lth":
                return DynamicMethodOptions.method(name, sparsity, options);
            default:
                return Methods.byName(name, sparsity);
        }
    }

    static OptimizerSpec optimizer(String name, double lr, double modelLearningRate, double weightDecay) {
        switch (name) {
            case "sgd":
                return Optimizers.sgd().lr(Double.isNaN(lr) ? modelLearningRate : lr).momentum(0.9)
                        .weightDecay(Double.isNaN(weightDecay) ? 5e-4 : weightDecay).cosineLr().validate();
            case "adamw":
                return Optimizers.adamW().lr(Double.isNaN(lr) ? 1e-3 : lr)
                        .weightDecay(Double.isNaN(weightDecay) ? 0.01 : weightDecay).cosineLr().validate();
            default:
                throw new UsageException("unknown optimizer '" + name + "': expected sgd or adamw");
        }
    }
}
