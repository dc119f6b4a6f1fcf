package org.prune4j.cli;

import org.prune4j.bench.Bench;
import org.prune4j.bench.ExportBenchmark;
import org.prune4j.bench.SoakBenchmark;
import org.prune4j.bench.VsPyTorchBenchmark;
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
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The {@code ./prune4j} command line: {@code demo}, {@code train} and {@code bench}
 * ({@code test} is handled by the launcher script, which runs Maven).
 */
public final class Main {

    /** Switches of train and demo (options without a value). */
    private static final Set<String> TRAIN_FLAGS = Set.of("print-recipe");

    /** Commands of the optional toolkit-spark module, found as {@link CommandExtension}s. */
    private static final Set<String> SPARK_COMMANDS = Set.of("spark-local", "bench-spark");

    /** The options of train (and demo): a recipe's settings and the run's own. */
    static Set<String> trainOptions() {
        return Commands.command("train").optionNames(false);
    }

    /** The options of sweep: every train option and the sweep's lists. */
    static Set<String> sweepOptions() {
        return Commands.command("sweep").optionNames(false);
    }

    private Main() {}

    /** Runs a command and exits with its status: 0 on success, 2 on bad input, 1 on failure. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns the exit status; never calls System.exit. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            // "help train" shows the train section; a bare help (or none) the command list.
            (args.length == 0 ? err : out).println(args.length > 1 ? Help.of(args[1]) : Help.commands());
            return args.length == 0 ? 2 : 0;
        }
        try {
            java.util.Optional<Commands.Command> command = Commands.find(args[0]);
            if (command.isEmpty()) {
                return elsewhere(args, out, err);
            }
            Options options = Options.parse(args, 1, command.get());
            if (options.helpRequested()) {
                out.println(Help.of(args[0]));
                return 0;
            }
            switch (args[0]) {
                case "demo":
                    return train(RecipeOptions.withRecipeFile(options, trainOptions(), TRAIN_FLAGS), out, true);
                case "train":
                    return train(RecipeOptions.withRecipeFile(options, trainOptions(), TRAIN_FLAGS), out, false);
                case "sweep":
                    return SweepCommand.run(options, trainOptions(), out);
                case "reproduce":
                    return ReproduceCommand.run(options, out);
                case "plasticity":
                    return PlasticityCommand.run(options, out);
                case "pgap-worker":
                    Set<String> worker = Commands.command("pgap-worker").optionNames(false);
                    return pgapWorker(RecipeOptions.withRecipeFile(options, worker, Set.of()));
                case "bench":
                    Bench.run(options.text("suite", "all"), options.integer("steps", 2000, 100, 1_000_000),
                            options.integer("wide-epochs", VsPyTorchBenchmark.WIDE_RUN_EPOCHS, 1, 100),
                            Devices.parse(options.text("device", "auto")),
                            options.text("out", null) == null ? null : Path.of(options.text("out", null)), out);
                    return 0;
                case "export":
                    return ExportCommands.export(options, out);
                case "infer":
                    return ExportCommands.infer(options, out);
                case "bench-soak":
                    return SoakBenchmark.run(options.integer("steps", 20_000, 1_000, 10_000_000), out).arraysFlat() ? 0 : 1;
                case "figures":
                    return Figures.run(options, out);
                case "bench-export":
                    ExportBenchmark.run(options.integer("repeats", 100, 10, 100_000), out);
                    return 0;
                default:
                    throw new IllegalStateException("command " + args[0] + " is listed but not run");
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

    /** A command of an optional module ({@link CommandExtension}), or an unknown one with a suggestion. */
    private static int elsewhere(String[] args, PrintStream out, PrintStream err) throws IOException {
        for (CommandExtension extension : ServiceLoader.load(CommandExtension.class)) {
            if (extension.names().contains(args[0])) {
                Options options = Options.parse(args, 1, extension.options(args[0]), Set.of());
                return extension.run(args[0], options.values(), out, err);
            }
        }
        if (SPARK_COMMANDS.contains(args[0])) {
            throw new UsageException(args[0] + " needs the prune4j-toolkit-spark module on the class path:"
                    + " run it as ./prune4j " + args[0] + ", which builds it");
        }
        throw Help.unknownCommand(args[0]);
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
            case "sgd-nesterov":
                // The GraNet code's optimizer (nesterov=True); the same momentum, weight decay and schedule.
                return LrScheduleOption.apply(lrSchedule, Optimizers.sgd().lr(lr).momentum(0.9).nesterov(true)
                        .weightDecay(weightDecay)).validate();
            case "adamw":
                return LrScheduleOption.apply(lrSchedule, Optimizers.adamW().lr(lr).weightDecay(weightDecay)).validate();
            default:
                throw new UsageException("unknown optimizer '" + name + "': expected sgd, sgd-nesterov or adamw");
        }
    }
}
