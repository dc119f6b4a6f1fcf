package org.prune4j.cli;

import org.prune4j.nn.Models;
import org.prune4j.registry.MethodRegistry;
import org.prune4j.registry.MethodSetting;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every {@code ./prune4j} command with its one-line summary and its options, each with the label of its value
 * and one line of help: the single source from which {@link Options} parses a command line (with picocli) and
 * {@link Help} prints the usage. A method's own settings come from the {@link MethodRegistry}, so a new
 * setting appears in parsing and help at once.
 */
final class Commands {

    /**
     * One option of a command.
     *
     * @param name   without the leading {@code --}
     * @param label  the value's label, or null for a switch that takes no value
     * @param help   one line, defaults included
     * @param hidden accepted but left out of the help (an old name kept working)
     */
    record Option(String name, String label, String help, boolean hidden) {

        static Option value(String name, String label, String help) {
            return new Option(name, label, help, false);
        }

        static Option flag(String name, String help) {
            return new Option(name, null, help, false);
        }

        boolean isFlag() {
            return label == null;
        }
    }

    /**
     * One command.
     *
     * @param name       as typed after {@code ./prune4j}
     * @param summary    one line for the command list
     * @param options    its options in help order
     * @param positional the label of the one word it takes before its options (reproduce's NAME), or null
     */
    record Command(String name, String summary, List<Option> options, String positional) {

        Set<String> optionNames(boolean flags) {
            Set<String> names = new LinkedHashSet<>();
            for (Option option : options) {
                if (option.isFlag() == flags) {
                    names.add(option.name());
                }
            }
            return names;
        }
    }

    private Commands() {}

    private static final List<Option> COMMON_BEFORE_METHOD = List.of(
            Option.value("model", "M", String.join("|", Models.names()) + " (default lenet300)"),
            Option.value("dataset", "D", "mnist|fashion-mnist|cifar10|imdb (default mnist; imdb for a text model)"),
            Option.value("method", "X", String.join("|", MethodRegistry.NAMES)
                    + " (default gmp; ./prune4j help methods)"),
            Option.value("sparsity", "S", "final sparsity in [0, 1) (default 0.9; 1-N/M for an N:M pattern)"),
            Option.value("pattern", "P", "unstructured|N:M|channel|block:BxK mask pattern for static, gmp, pdp"
                    + " (default unstructured)"),
            Option.value("also-prune", "L", "layers the model keeps dense that are masked too: embedding,classifier"
                    + " for bert-tiny (default none: its 12 encoder projections only)"));

    private static final List<Option> EXECUTOR = List.of(
            Option.value("executor", "E", "pgap: where its workers run: local (this JVM)|processes[:N] (one JVM each,"
                    + " N at a time)|spark://HOST:PORT (Spark executors) (default local)"),
            new Option("workers", "W", "the old name of --executor: embedded|processes", true));

    private static final List<Option> COMMON_AFTER_METHOD = List.of(
            Option.value("epochs", "E", "epochs (default 3; cgap: K*T*R + F, pgap: R*T + F, which are also the"
                    + " defaults)"),
            Option.value("batch-size", "B", "mini-batch size (default 64)"),
            Option.value("lr", "LR", "learning rate (sgd: 0.1, the papers' rate for every image model; adamw: 1e-3,"
                    + " bert-tiny 5e-4)"),
            Option.value("lr-schedule", "L", "cosine|constant|linear|step:E1,E2[xF] (x F, default 0.1, at each"
                    + " epoch Ei) (default cosine)"),
            Option.value("wd", "W", "weight decay (default 5e-4 for sgd, 0.01 for adamw)"),
            Option.value("optimizer", "O", "sgd|sgd-nesterov|adamw (default sgd, momentum 0.9; sgd-nesterov is the"
                    + " GraNet code's; adamw for bert-tiny)"),
            Option.value("train-size", "N", "use only the first N training images (default: all)"),
            Option.value("seed", "N", "random seed (default 1)"),
            Option.value("device", "D", "auto|cpu|gpu|gpu:N (default auto)"),
            Option.value("sparse-kernel", "K", "auto|on|off: train an MLP with SGD in one native call per step, each"
                    + " layer at its kept weights only or dense, whichever this machine's calibration says is faster, at"
                    + " steps that need no dense gradient (default auto: wherever the run allows it; off: DJL's ops;"
                    + " the two agree within float rounding)"),
            Option.value("out", "DIR", "output folder (default runs/<model>-<method>-<sparsity>)"),
            Option.value("checkpoint-every", "I", "Ne epochs|Ns steps|off: checkpoint into --out (default 1e;"
                    + " always at the end)"),
            Option.value("resume", "DIR", "continue the run whose checkpoint is in DIR (same options; --out"
                    + " defaults to DIR)"),
            Option.value("recipe", "FILE", "the settings of a recipe file (JSON, as --print-recipe writes, or a run's"
                    + " recipe.json or summary.json); options given beside it override its keys"));

    /** The options of train and demo, the recipe's settings among them. */
    static final List<Option> TRAIN = Stream.of(COMMON_BEFORE_METHOD, methodSettings(), EXECUTOR, COMMON_AFTER_METHOD,
                    List.of(Option.flag("print-recipe", "print the resolved recipe (every default written out) as JSON"
                            + " and exit without training")))
            .flatMap(List::stream).toList();

    private static final List<Option> SWEEP_ONLY = List.of(
            Option.value("methods", "A,B", "methods to compare (dense runs once per seed; gmp@2:4 is gmp with its own"
                    + " pattern)"),
            Option.value("sparsities", "S,T", "target sparsities (default 0.9)"),
            Option.value("seeds", "1,2", "seeds (default 1)"));

    /** Every command, in the order of the command list. */
    static final List<Command> ALL = List.of(
            new Command("demo", "fetch MNIST if missing, train LeNet-300-100 with GMP to 90% sparsity, print tables,"
                    + " write charts", TRAIN, null),
            new Command("train", "train one model with one method; writes history.csv, layers.csv, summary.json and"
                    + " charts", TRAIN, null),
            new Command("sweep", "train every --methods x --sparsities x --seeds setting of one recipe (any train"
                    + " option applies to all); writes a results table, and a re-run reads back finished settings",
                    sweepOptions(), null),
            new Command("reproduce", "run recipes/NAME.json (a results table's sweep) and mark each mean in or out"
                    + " of its expected band; reproduce --list shows the recipes and their time on 2 cores", List.of(
                    Option.flag("list", "list the recipes and their time on 2 cores"),
                    Option.value("out", "DIR", "(default runs/reproduce/NAME)"),
                    Option.value("executor", "E", "as for sweep"),
                    Option.value("recipes", "DIR", "where NAME.json is (default recipes)")), "NAME"),
            new Command("plasticity", "GraNet's pruning-plasticity analysis: prune one-shot at several epochs,"
                    + " recover k epochs with and without neuroregeneration; writes plasticity.csv and plasticity.png",
                    List.of(
                            option("model"), option("dataset"), option("train-size"),
                            Option.value("batch-size", "B", "mini-batch size (default 128)"),
                            option("lr"), option("wd"),
                            Option.value("lr-schedule", "L", "as for train (default constant; step:E1,E2 drops at"
                                    + " absolute epochs, the same in every run)"),
                            option("optimizer"), option("seed"),
                            Option.value("interval", "N", "dT of the regeneration (default 100)"),
                            Option.value("sparsity", "S", "one-shot sparsity (default 0.9)"),
                            Option.value("prune-at", "E1,E2", "epochs to prune after (required)"),
                            Option.value("recovery-epochs", "K", "epochs trained after each prune (default 2)"),
                            Option.value("out", "DIR", "(default runs/plasticity)")), null),
            new Command("bench", "step costs against a dense step (GMP, drop-and-regrow, PDP) and global-pruning"
                    + " scaling", List.of(
                    Option.value("suite", "S", "steps|pdp|global|bert|vs-pytorch|all: steps (GMP upkeep and update,"
                            + " drop-and-regrow update), pdp (PDP step), global (global pruning of 1M/5M/25M"
                            + " ResNet-50-shaped weights), bert (BERT-Tiny on IMDB), vs-pytorch (dense and masked steps,"
                            + " whole runs and peak memory against a plain PyTorch loop; needs python3-torch),"
                            + " all (steps, pdp, global; default)"),
                    Option.value("steps", "N", "measured steps per variant, LeNet-300-100 (LeNet-5: half,"
                            + " BERT-Tiny: a tenth; default 2000)"),
                    Option.value("device", "D", "auto|cpu|gpu|gpu:N: where the measured steps run (default auto)"),
                    Option.value("wide-epochs", "N", "vs-pytorch: epochs of the 784-2048-2048-10 runs (default 2;"
                            + " 20 takes about half an hour)"),
                    Option.value("out", "FILE", "also write the results as CSV")), null),
            new Command("export", "compress a trained run's model: --run DIR --out FILE; prints the size table",
                    List.of(
                            Option.value("run", "DIR", "a train/demo output folder with model.params"),
                            Option.value("out", "FILE", "the compressed model (with --shrink: a folder)"),
                            Option.flag("shrink", "a channel-pruned MLP (--pattern channel) as a smaller dense DJL"
                                    + " model, checked on the test set and timed against dense"),
                            Option.value("repeats", "N", "--shrink: timed forwards (default 200)")), null),
            new Command("infer", "accuracy and latency (batch 1 and 64, dense vs sparse path) of a compressed model",
                    List.of(
                            Option.value("model", "FILE", "written by ./prune4j export"),
                            Option.value("dataset", "D", "(default mnist)"),
                            Option.value("max-density", "X", "sparse at or below X (default: per layer and batch from"
                                    + " a cost model calibrated at start)"),
                            Option.value("repeats", "N", "timed forwards per batch size (default 200)")), null),
            new Command("bench-export", "file size and sparse-vs-dense inference latency of pruned MLPs",
                    List.of(Option.value("repeats", "N", "(default 100)")), null),
            new Command("bench-soak", "memory soak: live NDArrays and resident memory over a long RigL run",
                    List.of(Option.value("steps", "N", "(default 20000)")), null),
            new Command("figures", "regenerate every image in docs/img (trade-off from docs/data, run pictures from"
                    + " short MNIST trainings)", List.of(
                    Option.flag("no-training", "the trade-off only"),
                    Option.value("epochs", "N", "GraNet run (default 5)"),
                    Option.value("out", "DIR", "(default docs/img)"),
                    Option.value("data", "FILE", "(default docs/data/results-dst.csv)"),
                    Option.value("runs", "DIR", "(default runs/figures)")), null),
            new Command("pgap-worker", "one P-GaP worker in its own JVM (started by --executor processes)",
                    Stream.concat(TRAIN.stream(), Stream.of(
                            Option.value("state-in", "FILE", "the model state to start from"),
                            Option.value("grow", "I,J", "the layers this worker grows"),
                            Option.value("worker-seed", "N", "the worker's seed"),
                            Option.value("worker-epochs", "N", "the worker's epochs"))).toList(), null));

    /**
     * Commands that the launcher script or an optional module runs: named in the command list so that typos are
     * answered, but not parsed here.
     */
    static final List<String> ELSEWHERE = List.of("notebooks", "spark-local", "bench-spark", "test");

    /** Commands left out of the command list (internal ones). */
    private static final Set<String> UNLISTED = Set.of("pgap-worker");

    /** The command of that name, if this class parses it. */
    static Optional<Command> find(String name) {
        return ALL.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    static Command command(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("no command " + name));
    }

    /** The names users can type, listed ones first: for "unknown command" and its suggestion. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        ALL.stream().map(Command::name).filter(n -> !UNLISTED.contains(n)).forEach(names::add);
        names.addAll(ELSEWHERE);
        return names;
    }

    /** The picocli model of a command: its options as strings (Options converts and validates them). */
    static CommandSpec spec(Command command) {
        CommandSpec spec = CommandSpec.create().name(command.name());
        spec.usageMessage()
                .synopsisHeading("")
                .customSynopsis("usage: ./prune4j " + command.name()
                        + (command.positional() == null ? "" : " " + command.positional()) + " [options]")
                .description(literal(command.summary()))
                .optionListHeading("%noptions:%n")
                .sortOptions(false)
                .width(110);
        configure(spec);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("show these options").build());
        for (Option option : command.options()) {
            spec.addOption(optionSpec(option));
        }
        if (command.positional() != null) {
            spec.addPositional(PositionalParamSpec.builder().paramLabel(command.positional()).arity("0..1")
                    .type(String.class).hidden(true).build());
        }
        return spec;
    }

    /** A bare model of {@code --name value} options and switches, for option lists built in code (recipes, sweeps). */
    static CommandSpec spec(Set<String> accepted, Set<String> flags) {
        CommandSpec spec = CommandSpec.create();
        configure(spec);
        accepted.stream().sorted().forEach(name -> spec.addOption(optionSpec(Option.value(name, "V", ""))));
        flags.stream().filter(f -> !accepted.contains(f)).sorted()
                .forEach(name -> spec.addOption(optionSpec(Option.flag(name, ""))));
        return spec;
    }

    /** The top-level model: every command as a subcommand, for the command list and command-name suggestions. */
    static CommandLine all() {
        CommandSpec top = CommandSpec.create().name("./prune4j");
        configure(top);
        top.usageMessage()
                .synopsisHeading("")
                .customSynopsis("usage: ./prune4j <command> [options]")
                .commandListHeading("%ncommands:%n")
                .footer("", "./prune4j help COMMAND (or COMMAND --help) shows one command's options;"
                        + " ./prune4j help methods lists the methods and their settings.")
                .width(110);
        CommandLine line = new CommandLine(top);
        for (Command command : ALL) {
            if (!UNLISTED.contains(command.name())) {
                line.addSubcommand(command.name(), new CommandLine(spec(command)));
            }
        }
        for (String name : ELSEWHERE) {
            CommandSpec elsewhere = CommandSpec.create().name(name);
            elsewhere.usageMessage().description(literal(ELSEWHERE_SUMMARIES.get(ELSEWHERE.indexOf(name))));
            line.addSubcommand(name, new CommandLine(elsewhere));
        }
        return line;
    }

    private static final List<String> ELSEWHERE_SUMMARIES = List.of(
            "install the Java kernel if needed, start JupyterLab or the classic notebook on notebooks/, print the URL",
            "start a Spark standalone Master and Worker on loopback for --executor spark://... (toolkit-spark):"
                    + " --executors N (1 core each, default 2), --port P (default 7077)",
            "time an 8-setting sweep in this JVM and on a local 2-executor Spark cluster (toolkit-spark):"
                    + " --train-size N, --out DIR (default runs/bench-spark)",
            "run every test (unit, real-training, Spark, notebooks)");

    /**
     * Parsing as the project's bad-input rule needs it: no {@code @file} expansion (a value may start with @), a
     * repeated option keeps its last value, and values such as {@code -1} are values, not unknown options.
     */
    private static void configure(CommandSpec spec) {
        spec.parser().expandAtFiles(false).overwrittenOptionsAllowed(true)
                .unmatchedOptionsAllowedAsOptionParameters(true).abbreviatedOptionsAllowed(false);
    }

    private static OptionSpec optionSpec(Option option) {
        OptionSpec.Builder builder = OptionSpec.builder("--" + option.name()).description(literal(option.help()))
                .hidden(option.hidden());
        if (option.isFlag()) {
            // 0..1: "--print-recipe" alone, or "--print-recipe=true" as a recipe's option list writes it.
            return builder.arity("0..1").type(boolean.class).build();
        }
        return builder.arity("1").paramLabel(option.label()).type(String.class).build();
    }

    /** A help text as picocli prints it: picocli formats with {@code %} (for {@code %n}), so a literal % is doubled. */
    private static String literal(String text) {
        return text.replace("%", "%%");
    }

    private static List<Option> methodSettings() {
        List<Option> options = new ArrayList<>();
        for (MethodSetting setting : MethodRegistry.SETTINGS) {
            options.add(Option.value(setting.name(), setting.label(), setting.help()));
        }
        return options;
    }

    private static List<Option> sweepOptions() {
        List<Option> options = new ArrayList<>(SWEEP_ONLY);
        options.add(Option.value("out", "DIR", "folder for runs/, runs.csv, results.csv, results.md, tradeoff.png"
                + " (default runs/sweep)"));
        TRAIN.stream().filter(o -> !o.name().equals("out")).forEach(options::add);
        return options;
    }

    /** A train option as train describes it, for commands that take it with the same meaning. */
    private static Option option(String name) {
        return TRAIN.stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no train option " + name));
    }
}
