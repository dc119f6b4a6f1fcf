package org.prune4j.cli;

import org.prune4j.bench.Bench;
import org.prune4j.bench.ExportBenchmark;
import org.prune4j.bench.SoakBenchmark;
import org.prune4j.data.DatasetException;
import org.prune4j.exec.TaskFailedException;
import org.prune4j.gap.ModelState;
import org.prune4j.orchestrate.PGap;
import org.prune4j.method.SparsityMethod;
import org.prune4j.nn.Models;
import org.prune4j.optim.OptimizerSpec;
import org.prune4j.optim.Optimizers;
import org.prune4j.recipe.Recipe;
import org.prune4j.registry.MethodRegistry;
import org.prune4j.report.Run;
import org.prune4j.train.Devices;
import org.prune4j.train.CheckpointException;
import org.prune4j.train.SparseTraining;
import org.prune4j.train.TrainingDivergedException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
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
            "  sweep     train every --methods x --sparsities x --seeds setting of one recipe; writes a results table",
            "  reproduce NAME  run recipes/NAME.json (a results table's sweep) and mark each mean in or out of its expected",
            "            band; reproduce --list shows the recipes and their time on 2 cores",
            "  bench     step costs against a dense step (GMP, drop-and-regrow, PDP) and global-pruning scaling",
            "  plasticity  GraNet's pruning-plasticity analysis: prune one-shot at several epochs, recover k epochs with and",
            "            without neuroregeneration; writes plasticity.csv and plasticity.png",
            "  export    compress a trained run's model: --run DIR --out FILE; prints the size table",
            "  infer     accuracy and latency (batch 1 and 64, dense vs sparse path) of a compressed model",
            "  bench-export  file size and sparse-vs-dense inference latency of pruned MLPs",
            "  bench-soak    memory soak: live NDArrays and resident memory over a long RigL run (--steps N, default 20000)",
            "  test      run every test (unit, real-training, Spark, notebooks)",
            "  notebooks install the Java kernel if needed, start JupyterLab or the classic notebook on notebooks/, print the URL",
            "  figures   regenerate every image in docs/img (trade-off from docs/data, run pictures from short MNIST trainings)",
            "  spark-local  start a Spark standalone Master and Worker on loopback for --executor spark://... (toolkit-spark)",
            "  bench-spark  time an 8-setting sweep in this JVM and on a local 2-executor Spark cluster (toolkit-spark)",
            "",
            "train options:",
            "  --model M        " + String.join("|", Models.names()) + " (default lenet300)",
            "  --dataset D      mnist|fashion-mnist|cifar10|imdb (default mnist; imdb for a text model)",
            "  --method X       " + String.join("|", MethodRegistry.NAMES) + " (default gmp; ./prune4j help methods)",
            "  --sparsity S     final sparsity in [0, 1) (default 0.9; 1-N/M for an N:M pattern)",
            "  --pattern P      unstructured|N:M|channel|block:BxK mask pattern for static, gmp, pdp (default unstructured)",
            "  --also-prune L   layers the model keeps dense that are masked too: embedding,classifier for bert-tiny",
            "                   (default none: its 12 encoder projections only)",
            "  --budget B       uniform|er|erk|global layer budget (default: global for gmp and pdp, uniform for gmp-layerwise,",
            "                   erk for static)",
            "  --interval N     steps between mask updates, dT, for gmp|granet|granet-st|rigl|set (default 100)",
            "  --start-epoch E  (fractional) epoch gmp|granet starts pruning at (default 0)",
            "  --end-epoch E    (fractional) epoch gmp|granet reaches the final sparsity (default 3/4 of the epochs, 1/2 for granet)",
            "  --partitions K   cgap/pgap: partitions of the maskable layers (default 3)",
            "  --step-epochs T  cgap/pgap: epochs one partition stays grown (dense) (default 1)",
            "  --rounds R       cgap/pgap: rounds of K steps (default 1); lth: rounds of train-prune-rewind (default 3)",
            "  --finetune-epochs F  cgap/pgap: final epochs with every layer at target, mask fixed (default 0)",
            "  --partitioning P cgap/pgap: contiguous|balanced|random (default contiguous); --budget global = non-uniform",
            "  --executor E     pgap: where its workers run: local (this JVM)|processes[:N] (one JVM each, N at a time)",
            "                   |spark://HOST:PORT (Spark executors) (default local); --workers embedded|processes is the old name",
            "  --tau T          pdp: soft-mask temperature (default 1e-3)",
            "  --warmup-epochs N     pdp: epochs without a mask first (default 16% of the epochs)",
            "  --fine-tune-epochs N  pdp: epochs with the hardened mask at the end (default 20% of the epochs)",
            "  --eps E          pdp: ratio ramp per epoch (default: full ratio at the last pruning epoch)",
            "  --drop-rate R    granet|granet-st|rigl|set: initial drop rate of the cosine decay (default 0.5 granet, 0.3 rigl/set)",
            "  --initial-sparsity S  granet-st: sparsity of the random ERK start (default 0.5)",
            "  --update-until F rigl|set|granet: fraction of training after which masks stop changing (default 0.75 rigl/set, 1 granet)",
            "  --snip-batches K snip: mini-batches the |g*w| scores are summed over (default 1)",
            "  --prune-fraction P  lth: fraction of remaining weights pruned per round (default: derived from --sparsity)",
            "  --rewind-step K  lth: step whose weights survivors are rewound to (default 0, the initialisation)",
            "  --epochs E       epochs (default 3; cgap: K*T*R + F, pgap: R*T + F, which are also the defaults)",
            "  --batch-size B   mini-batch size (default 64)",
            "  --lr LR          learning rate (sgd: 0.1, the papers' rate for every image model; adamw: 1e-3, bert-tiny 5e-4)",
            "  --lr-schedule L  cosine|constant|linear|step:E1,E2[xF] (x F, default 0.1, at each epoch Ei) (default cosine)",
            "  --wd W           weight decay (default 5e-4 for sgd, 0.01 for adamw)",
            "  --optimizer O    sgd|adamw (default sgd; adamw for bert-tiny)",
            "  --train-size N   use only the first N training images (default: all)",
            "  --seed N         random seed (default 1)",
            "  --device D       auto|cpu|gpu|gpu:N (default auto)",
            "  --out DIR        output folder (default runs/<model>-<method>-<sparsity>)",
            "  --checkpoint-every I  Ne epochs|Ns steps|off: checkpoint into --out (default 1e; always at the end)",
            "  --resume DIR     continue the run whose checkpoint is in DIR (same options; --out defaults to DIR)",
            "  --recipe FILE    the settings of a recipe file (JSON, as --print-recipe writes and every run folder's",
            "                   recipe.json holds); options given beside it override its keys",
            "  --print-recipe   print the resolved recipe (every default written out) as JSON and exit without training",
            "",
            "sweep options:    any train option but --method/--sparsity/--seed, plus",
            "  --methods A,B    methods to compare (dense runs once per seed; gmp@2:4 is gmp with its own pattern)",
            "  --sparsities S,T target sparsities (default 0.9)",
            "  --seeds 1,2      seeds (default 1)",
            "  --executor E     where the settings train: local (this JVM, one after another)|processes[:N]|spark://HOST:PORT",
            "  --out DIR        folder for runs/, runs.csv, results.csv, results.md, tradeoff.png (default runs/sweep);",
            "                   a re-run reads back finished settings; per-method values: --rounds cgap=1,pgap=4",
            "",
            "plasticity options: --model, --dataset, --train-size, --batch-size (default 128), --lr, --wd,",
            "                  --lr-schedule (default constant; step:E1,E2 drops at absolute epochs, the same in every run),",
            "                  --optimizer, --seed, --interval (dT of the regeneration, default 100), --sparsity (default 0.9),",
            "  --prune-at E1,E2 epochs to prune after (required)  --recovery-epochs K (default 2)",
            "  --out DIR        (default runs/plasticity)",
            "",
            "reproduce options: NAME first, then --out DIR (default runs/reproduce/NAME)  --executor E (as for sweep)",
            "                  --recipes DIR (where NAME.json is; default recipes)",
            "",
            "bench options:",
            "  --suite S        steps (GMP upkeep and update, drop-and-regrow update) | pdp (PDP step) |",
            "                   global (global pruning of 1M/5M/25M ResNet-50-shaped weights) |",
            "                   bert (BERT-Tiny on IMDB: masked and PDP steps) | vs-pytorch (dense and masked steps,",
            "                   whole runs and peak memory against a plain PyTorch loop; needs python3-torch) |",
            "                   all (steps, pdp, global; default)",
            "  --steps N        measured steps per variant, LeNet-300-100 (LeNet-5: half, BERT-Tiny: a tenth; default 2000)",
            "  --device D       auto|cpu|gpu|gpu:N: where the measured steps run (default auto)",
            "  --out FILE       also write the results as CSV",
            "",
            "export options:   --run DIR (a train/demo output folder with model.params)  --out FILE",
            "                  --shrink: a channel-pruned MLP (--pattern channel) as a smaller dense DJL model in the",
            "                  folder --out, checked on the test set and timed against dense (--repeats N, default 200)",
            "infer options:    --model FILE  --dataset D (default mnist)  --max-density X (sparse at or below X; default:",
            "                  per layer and batch from a cost model calibrated at start)",
            "                  --repeats N (timed forwards per batch size, default 200)",
            "bench-export:     --repeats N (default 100)",
            "figures:          --no-training (trade-off only)  --epochs N (GraNet run, default 5)  --out DIR (default docs/img)",
            "                  --data FILE (default docs/data/results-dst.csv)  --runs DIR (default runs/figures)",
            "spark-local:      --executors N (1 core each, default 2)  --port P (default 7077); Ctrl-C stops it",
            "bench-spark:      --train-size N (default: all)  --out DIR (default runs/bench-spark)");

    private static final Set<String> TRAIN_OPTIONS = Set.of("model", "dataset", "method", "sparsity", "budget",
            "interval", "start-epoch", "end-epoch", "pattern", "tau", "warmup-epochs", "fine-tune-epochs", "eps", "wd", "epochs", "batch-size", "lr", "lr-schedule", "optimizer", "train-size", "seed", "device", "out",
            "partitions", "step-epochs", "rounds", "finetune-epochs", "partitioning", "workers", "executor",
            "drop-rate", "initial-sparsity", "update-until", "snip-batches", "prune-fraction", "rewind-step",
            "checkpoint-every", "resume", "recipe", "also-prune");

    /** Switches of train and demo (options without a value). */
    private static final Set<String> TRAIN_FLAGS = Set.of("print-recipe");

    private static final Set<String> WORKER_OPTIONS = union(TRAIN_OPTIONS,
            Set.of("state-in", "grow", "worker-seed", "worker-epochs"));

    /** Commands of the optional toolkit-spark module, found as {@link CommandExtension}s. */
    private static final Set<String> SPARK_COMMANDS = Set.of("spark-local", "bench-spark");

    static Set<String> trainOptions() {
        return TRAIN_OPTIONS;
    }

    static Set<String> sweepOptions() {
        return union(TRAIN_OPTIONS, SweepCommand.SWEEP_OPTIONS);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private Main() {}

    /** Runs a command and exits with its status: 0 on success, 2 on bad input, 1 on failure. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns the exit status; never calls System.exit. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            // "help train" shows the train section; a bare help (or none) the whole usage.
            (args.length == 0 ? err : out).println(args.length > 1 ? Help.of(USAGE, args[1]) : USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            switch (args[0]) {
                case "demo":
                    return train(trainOptions(args), out, true);
                case "train":
                    return train(trainOptions(args), out, false);
                case "sweep":
                    return SweepCommand.run(Options.parse(args, 1, sweepOptions(), Set.of()),
                            TRAIN_OPTIONS, out);
                case "reproduce":
                    return ReproduceCommand.run(args, out);
                case "plasticity":
                    return PlasticityCommand.run(Options.parse(args, 1, PlasticityCommand.OPTIONS, Set.of()), out);
                case "pgap-worker":
                    return pgapWorker(RecipeOptions.withRecipeFile(Options.parse(args, 1, WORKER_OPTIONS, Set.of()), WORKER_OPTIONS, Set.of()));
                case "bench":
                    Options options = Options.parse(args, 1, Set.of("suite", "steps", "device", "out"), Set.of());
                    Bench.run(options.text("suite", "all"), options.integer("steps", 2000, 100, 1_000_000),
                            Devices.parse(options.text("device", "auto")),
                            options.text("out", null) == null ? null : Path.of(options.text("out", null)), out);
                    return 0;
                case "export":
                    return ExportCommands.export(Options.parse(args, 1, Set.of("run", "out", "repeats"), Set.of("shrink")), out);
                case "infer":
                    return ExportCommands.infer(Options.parse(args, 1, Set.of("model", "dataset", "max-density", "repeats"),
                            Set.of()), out);
                case "bench-soak":
                    return SoakBenchmark.run(Options.parse(args, 1, Set.of("steps"), Set.of())
                            .integer("steps", 20_000, 1_000, 10_000_000), out).arraysFlat() ? 0 : 1;
                case "figures":
                    return Figures.run(Options.parse(args, 1, Set.of("out", "data", "epochs", "runs"),
                            Set.of("no-training")), out);
                case "bench-export":
                    ExportBenchmark.run(Options.parse(args, 1, Set.of("repeats"), Set.of()).integer("repeats", 100, 10, 100_000), out);
                    return 0;
                default:
                    for (CommandExtension extension : ServiceLoader.load(CommandExtension.class)) {
                        if (extension.names().contains(args[0])) {
                            return extension.run(args, out, err);
                        }
                    }
                    if (SPARK_COMMANDS.contains(args[0])) {
                        throw new UsageException(args[0] + " needs the prune4j-toolkit-spark module on the class path:"
                                + " run it as ./prune4j " + args[0] + ", which builds it");
                    }
                    throw new UsageException("unknown command '" + args[0] + "': expected demo, train, sweep, reproduce, plasticity, bench,"
                            + " export, infer, bench-export, bench-soak, figures, notebooks, spark-local, bench-spark or test");
            }
        } catch (DatasetException | CheckpointException e) {
            // The message already names the fetch command: the usage would only bury it.
            err.println("prune4j: " + e.getMessage());
            return 2;
        } catch (UsageException | IllegalArgumentException e) {
            // One error line and one hint: the whole usage under it would scroll the error away.
            err.println("prune4j: " + e.getMessage());
            err.println(Help.hint(args));
            return 2;
        } catch (IOException | TrainingDivergedException | TaskFailedException e) {
            err.println("prune4j: " + e.getMessage());
            return 1;
        }
    }

    /** The train options of a command line, on top of the settings of its --recipe FILE, if any. */
    private static Options trainOptions(String[] args) {
        return RecipeOptions.withRecipeFile(Options.parse(args, 1, TRAIN_OPTIONS, TRAIN_FLAGS), TRAIN_OPTIONS, TRAIN_FLAGS);
    }

    private static int train(Options options, PrintStream out, boolean demo) throws IOException {
        Recipe recipe = RecipeOptions.resolve(options);
        if (options.flag("print-recipe")) {
            // Resolved, not echoed: every default is written out, so the file pins the run even if a default changes.
            out.println(recipe.toJson());
            return 0;
        }
        Path outDir = Path.of(options.text("out", options.text("resume",
                demo ? "runs/demo" : TrainPlan.defaultOutDir(recipe).toString())));
        Run run = TrainPlan.of(recipe, options, outDir).run(out, true);
        out.println();
        out.println(run.history().printAll());
        out.println();
        out.println(run.layers().printAll());
        run.flops().ifPresent(flops -> {
            out.println();
            out.println(flops.inference().printAll());
        });
        return 0;
    }

    /** One training's method from the command line's options (the registry builds it; pgap is not one). */
    static SparsityMethod method(String name, double sparsity, Options options) {
        if (MethodRegistry.find(name).isEmpty()) {
            throw new UsageException("unknown method '" + name + "': expected one of " + String.join(", ", MethodRegistry.NAMES));
        }
        return MethodRegistry.build(name, sparsity, options);
    }

    static PGap pgap(double sparsity, Options options) {
        return MethodRegistry.gapSettings(PGap.builder().sparsity(sparsity), options).build();
    }

    /**
     * One P-GaP worker in its own JVM: its task's recipe ({@code --recipe FILE}) rebuilds the training, the state
     * file carries the model, and {@code --grow}, {@code --worker-seed} and {@code --worker-epochs} say what this
     * worker does in its round.
     */
    private static int pgapWorker(Options options) throws IOException {
        Recipe recipe = RecipeOptions.resolve(options);
        SparseTraining training = TrainPlan.training(recipe, optimizer(recipe))
                .device(Devices.parse(options.text("device", "auto")))
                .progress(org.prune4j.train.Progress.silent());
        List<Integer> grow = new ArrayList<>();
        for (String layer : options.text("grow", "").split(",")) {
            if (!layer.isBlank()) {
                grow.add(Integer.parseInt(layer.trim()));
            }
        }
        String in = options.text("state-in", null);
        String out = options.text("out", null);
        if (in == null || out == null) {
            throw new UsageException("pgap-worker needs --state-in FILE and --out DIR");
        }
        PGap.trainWorker(training, ModelState.read(Path.of(in)), grow, options.longValue("worker-seed", 1),
                options.integer("worker-epochs", 1, 1, 100_000)).writeTo(Path.of(out));
        return 0;
    }

    /** Masks the layers of a recipe's {@code also-prune} value ({@value Recipe#NONE} masks none of them). */
    static SparseTraining alsoPrune(SparseTraining training, String alsoPrune) {
        return alsoPrune.equals(Recipe.NONE) ? training : training.alsoPrune(alsoPrune.split(","));
    }

    /** The optimizer and learning-rate policy of a resolved recipe. */
    static OptimizerSpec optimizer(Recipe recipe) {
        return optimizer(recipe.optimizer(), recipe.lr(), recipe.weightDecay(), recipe.lrSchedule());
    }

    /** An optimizer from option values; a NaN lr or weight decay takes {@link RecipeOptions}' default. */
    static OptimizerSpec optimizer(String name, double lr, String model, double weightDecay, String lrSchedule) {
        return optimizer(name, Double.isNaN(lr) ? RecipeOptions.defaultLearningRate(name, model) : lr,
                Double.isNaN(weightDecay) ? RecipeOptions.defaultWeightDecay(name) : weightDecay, lrSchedule);
    }

    /** An optimizer from resolved values, validated. */
    static OptimizerSpec optimizer(String name, double lr, double weightDecay, String lrSchedule) {
        switch (name) {
            case "sgd":
                return LrScheduleOption.apply(lrSchedule, Optimizers.sgd().lr(lr).momentum(0.9).weightDecay(weightDecay))
                        .validate();
            case "adamw":
                return LrScheduleOption.apply(lrSchedule, Optimizers.adamW().lr(lr).weightDecay(weightDecay)).validate();
            default:
                throw new UsageException("unknown optimizer '" + name + "': expected sgd or adamw");
        }
    }
}
