package org.prune4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.prune4j.exec.TaskResult;
import org.prune4j.exec.TrainingExecutor;
import org.prune4j.exec.TrainingExecutors;
import org.prune4j.exec.TrainingTask;
import org.prune4j.recipe.Recipe;
import org.prune4j.mask.NofM;
import org.prune4j.mask.Pattern;
import org.prune4j.io.AtomicFiles;
import org.prune4j.report.Charts;
import org.prune4j.report.ResultsTable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code ./prune4j sweep}: every method x sparsity x seed of one recipe, each trained exactly as the equivalent
 * {@code train} command, then one paper-style table (end-of-training test accuracy per seed, mean, std and
 * measured sparsity) as CSV and Markdown, and a trade-off chart.
 *
 * <p>A sweep is resumable: a setting whose folder already holds a finished run of the same command is read
 * back instead of trained again, so an interrupted 30-run sweep continues where it stopped. A folder holding a
 * run of a different command is refused, never overwritten.
 *
 * <p>Any option value may be given per method as {@code method=value,...} (for example
 * {@code --rounds cgap=1,pgap=4} or {@code --update-until rigl=0.5,set=0.5}); methods not named there get
 * the option's default.
 *
 * <p>The settings train on an executor ({@code --executor local|processes[:N]|spark://HOST:PORT}); each comes back
 * as its run folder's files and is written here as soon as it is complete, so a resumed sweep finds every
 * finished setting whichever executor trained it.
 */
final class SweepCommand {

    static final Set<String> SWEEP_OPTIONS = Set.of("methods", "sparsities", "seeds", "out", "executor");
    private static final Set<String> PER_SETTING = Set.of("method", "sparsity", "seed", "out", "resume", "checkpoint-every");

    private SweepCommand() {}

    /** One training of the sweep: its label, target sparsity, seed, folder and {@code train} arguments. */
    record Setting(String method, String label, double sparsity, long seed, Path dir, List<String> trainArgs) {}

    static int run(Options options, Set<String> trainOptions, PrintStream out) throws IOException {
        List<Setting> settings = settings(options, trainOptions);
        String executorName = options.text("executor", TrainingExecutors.LOCAL);
        TrainingExecutors.check(executorName);
        // Plan (validate) every setting before training the first one.
        for (Setting setting : settings) {
            TrainPlan.of(Options.parse(setting.trainArgs().toArray(String[]::new), 0, trainOptions, Set.of()), setting.dir());
            refuseForeignRun(setting);
        }
        Path outDir = settings.get(0).dir().getParent().getParent();
        out.println("prune4j: sweep of " + settings.size() + " trainings into " + outDir);
        Map<String, Setting> byName = new LinkedHashMap<>();
        List<TrainingTask> tasks = new ArrayList<>();
        for (int i = 0; i < settings.size(); i++) {
            Setting setting = settings.get(i);
            if (finished(setting)) {
                out.println("[" + (i + 1) + "/" + settings.size() + "] " + setting.dir().getFileName() + ": already done, read back");
                continue;
            }
            byName.put(setting.dir().getFileName().toString(), setting);
            tasks.add(task(setting, trainOptions));
        }
        if (!tasks.isEmpty()) {
            try (TrainingExecutor executor = TrainingExecutors.open(executorName, out::println)) {
                out.println("prune4j: training " + tasks.size() + " settings " + executor.describe());
                int[] done = {0};
                executor.run(tasks, result -> {
                    done[0]++;
                    out.println("[" + done[0] + "/" + tasks.size() + "] " + save(byName.get(result.name()), result, executorName));
                });
            }
        }
        Table runs = runsTable(settings);
        Table results = ResultsTable.perSetting(runs);
        AtomicFiles.write(outDir.resolve("runs.csv"), stream -> runs.write().csv(stream));
        AtomicFiles.write(outDir.resolve("results.csv"), stream -> results.write().csv(stream));
        String markdown = ResultsTable.markdown(results, 4);
        AtomicFiles.write(outDir.resolve("results.md"), stream -> stream.write(markdown.getBytes(StandardCharsets.UTF_8)));
        // One point per setting (the mean over seeds, with an error bar of their sd), a line per method.
        Table chart = runs.copy();
        chart.column("setting").setName("method");
        Charts.savePng(Charts.tradeoff(chart, tradeoffSetting(options, runs)), outDir.resolve("tradeoff.png"));
        out.println();
        out.println(markdown);
        out.println("wrote " + outDir.resolve("results.md") + ", results.csv, runs.csv, tradeoff.png");
        return 0;
    }

    /**
     * The setting as an executor task: its resolved recipe, its run settings outside the recipe (such as
     * {@code --device}), without --out (the executor picks the folder) and without checkpoints: the executor's
     * folder is temporary and a sweep resumes by whole settings, so a checkpoint per epoch would only be written,
     * shipped back and stored unused.
     */
    static TrainingTask task(Setting setting, Set<String> trainOptions) {
        Options options = Options.parse(setting.trainArgs().toArray(String[]::new), 0, trainOptions, Set.of());
        Recipe recipe = RecipeOptions.resolve(RecipeOptions.withRecipeFile(options, trainOptions, Set.of()));
        Map<String, String> runSettings = new TreeMap<>();
        options.values().forEach((name, value) -> {
            if (!RecipeOptions.all().contains(name) && !NOT_SHIPPED.contains(name)) {
                runSettings.put(name, value);
            }
        });
        runSettings.put("checkpoint-every", "off");
        return TrainingTask.train(setting.dir().getFileName().toString(), recipe, runSettings);
    }

    /** Train options a task never carries: where it writes, which recipe file it read (the recipe goes instead). */
    private static final Set<String> NOT_SHIPPED = Set.of("out", "recipe");

    /**
     * Writes a finished task's files into the setting's folder, then task.json (where it trained: executor,
     * process id, host, seconds) and command.txt last (it marks the run as done for a resumed sweep); returns
     * a progress line.
     */
    private static String save(Setting setting, TaskResult result, String executor) {
        JsonObject task = new JsonObject();
        task.addProperty("executor", executor);
        task.addProperty("pid", result.pid());
        task.addProperty("host", result.host());
        task.addProperty("seconds", result.seconds());
        try {
            result.writeTo(setting.dir());
            AtomicFiles.write(setting.dir().resolve("task.json"),
                    stream -> stream.write((task + "\n").getBytes(StandardCharsets.UTF_8)));
            AtomicFiles.write(setting.dir().resolve("command.txt"),
                    stream -> stream.write(command(setting).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + setting.dir() + ": " + e.getMessage(), e);
        }
        JsonObject json = JsonParser.parseString(new String(result.file("summary.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        return String.format(Locale.ROOT, "%s: test accuracy %.4f, sparsity %.3f; %.1f s, %s", result.name(),
                value(json.get("testAccuracy")), value(json.get("measuredSparsity")), result.seconds(), result.where());
    }

    /** Expands the sweep options into settings: dense once per seed, every other method per sparsity and seed. */
    static List<Setting> settings(Options options, Set<String> trainOptions) {
        List<String> methods = list(options, "methods", null);
        List<String> sparsities = list(options, "sparsities", String.valueOf(RecipeOptions.DEFAULT_SPARSITY));
        List<String> seeds = list(options, "seeds", "1");
        for (String seed : seeds) {
            try {
                Long.parseLong(seed);
            } catch (NumberFormatException e) {
                throw new UsageException("--seeds: '" + seed + "' is not a whole number");
            }
        }
        Path outDir = Path.of(options.text("out", "runs/sweep"));
        Pattern pattern = Pattern.parse(options.text("pattern", "unstructured"));
        List<Setting> settings = new ArrayList<>();
        for (String entry : methods) {
            // gmp@2:4 is gmp with its own pattern, so one sweep can hold unstructured and N:M rows of a method.
            int at = entry.indexOf('@');
            String method = at < 0 ? entry : entry.substring(0, at);
            Pattern own = at < 0 ? pattern : Pattern.parse(entry.substring(at + 1));
            List<String> ownSparsities = method.equals("dense") ? List.of("0")
                    : at >= 0 && own instanceof NofM nm ? List.of(Double.toString(1 - nm.density())) : sparsities;
            for (String sparsity : ownSparsities) {
                for (String seed : seeds) {
                    String label = method + (own.equals(Pattern.unstructured()) || method.equals("dense")
                            ? "" : " " + own.name());
                    String name = (label.replace(' ', '-') + (method.equals("dense") ? "" : "-" + plain(sparsity))
                            + "-seed" + seed).replaceAll("[^A-Za-z0-9._-]", "_");
                    Path dir = outDir.resolve("runs").resolve(name);
                    List<String> args = trainArgs(options, trainOptions, method);
                    if (at >= 0 && !method.equals("dense")) {
                        int given = args.indexOf("--pattern");
                        if (given >= 0) {
                            args.subList(given, given + 2).clear();
                        }
                        args.addAll(List.of("--pattern", own.name()));
                    }
                    args.addAll(List.of("--method", method, "--seed", seed, "--out", dir.toString()));
                    if (!method.equals("dense")) {
                        args.addAll(List.of("--sparsity", sparsity));
                    }
                    settings.add(new Setting(method, label, method.equals("dense") ? 0 : number(sparsity), Long.parseLong(seed),
                            dir, args));
                }
            }
        }
        return settings;
    }

    /** The shared train options, with per-method values ({@code rigl=0.5,set=0.5}) resolved for this method. */
    private static List<String> trainArgs(Options options, Set<String> trainOptions, String method) {
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, String> option : options.values().entrySet()) {
            if (SWEEP_OPTIONS.contains(option.getKey())) {
                continue;
            }
            if (PER_SETTING.contains(option.getKey()) || !trainOptions.contains(option.getKey())) {
                throw new UsageException("--" + option.getKey() + " is not a sweep option: use --methods, --sparsities, --seeds, --executor"
                        + " and --out, and any train option but --method, --sparsity, --seed, --resume, --checkpoint-every");
            }
            String value = perMethod(option.getKey(), option.getValue(), method);
            // The dense baseline has no mask, so no pattern: it is the same row for every pattern.
            if (value != null && !(method.equals("dense") && option.getKey().equals("pattern"))) {
                args.addAll(List.of("--" + option.getKey(), value));
            }
        }
        return args;
    }

    /** The value for this method: the whole value, or its {@code method=value} entry (null if it has none). */
    static String perMethod(String option, String value, String method) {
        if (!value.contains("=")) {
            return value;
        }
        Map<String, String> byMethod = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new UsageException("--" + option + " '" + value + "': expected one value or method=value pairs"
                        + " separated by commas, such as rigl=0.5,set=0.5");
            }
            byMethod.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return byMethod.get(method);
    }

    private static List<String> list(Options options, String name, String fallback) {
        String value = options.text(name, fallback);
        if (value == null) {
            throw new UsageException("sweep needs --" + name + ", such as --methods gmp,rigl --sparsities 0.9,0.98 --seeds 1,2");
        }
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (item.isBlank()) {
                throw new UsageException("--" + name + " '" + value + "' has an empty entry");
            }
            if (items.contains(item.trim())) {
                throw new UsageException("--" + name + " '" + value + "' names '" + item.trim() + "' twice");
            }
            items.add(item.trim());
        }
        return items;
    }

    private static double number(String sparsity) {
        try {
            return Double.parseDouble(sparsity);
        } catch (NumberFormatException e) {
            throw new UsageException("--sparsities: '" + sparsity + "' is not a number");
        }
    }

    private static String plain(String sparsity) {
        return BigDecimal.valueOf(number(sparsity)).stripTrailingZeros().toPlainString();
    }

    private static String command(Setting setting) {
        return String.join(" ", setting.trainArgs()) + "\n";
    }

    private static boolean finished(Setting setting) throws IOException {
        Path summary = setting.dir().resolve("summary.json");
        Path command = setting.dir().resolve("command.txt");
        if (!Files.isRegularFile(summary) || !Files.isRegularFile(command)) {
            return false;
        }
        JsonObject json = JsonParser.parseString(Files.readString(summary)).getAsJsonObject();
        return !json.get("partial").getAsBoolean() && Files.readString(command).equals(command(setting));
    }

    /** A folder with another command's run is never overwritten: the sweep stops before training anything. */
    private static void refuseForeignRun(Setting setting) throws IOException {
        Path command = setting.dir().resolve("command.txt");
        if (Files.isRegularFile(command) && !Files.readString(command).equals(command(setting))) {
            throw new UsageException(setting.dir() + " holds a run of another command (" + Files.readString(command).strip()
                    + "): give the sweep another --out, or delete that folder");
        }
    }

    private static Table runsTable(List<Setting> settings) throws IOException {
        StringColumn label = StringColumn.create("setting");
        DoubleColumn target = DoubleColumn.create("targetSparsity");
        LongColumn seed = LongColumn.create("seed");
        DoubleColumn measured = DoubleColumn.create("measuredSparsity");
        DoubleColumn accuracy = DoubleColumn.create("testAccuracy");
        IntColumn epochs = IntColumn.create("epochs");
        DoubleColumn seconds = DoubleColumn.create("trainSeconds");
        for (Setting setting : settings) {
            JsonObject json = JsonParser.parseString(Files.readString(setting.dir().resolve("summary.json"))).getAsJsonObject();
            label.append(setting.label());
            target.append(setting.sparsity());
            seed.append(setting.seed());
            measured.append(value(json.get("measuredSparsity")));
            accuracy.append(value(json.get("testAccuracy")));
            epochs.append(json.get("epochs").getAsInt());
            seconds.append(value(json.get("trainSeconds")));
        }
        return Table.create("sweep", label, target, seed, measured, accuracy, epochs, seconds);
    }

    /** "lenet300 on mnist, 20 epochs, 2 seeds": what the trade-off chart's title names. */
    private static String tradeoffSetting(Options options, Table runs) {
        int seeds = runs.longColumn("seed").unique().size();
        int epochs = runs.intColumn("epochs").isEmpty() ? 0 : (int) runs.intColumn("epochs").max();
        return options.text("model", "lenet300") + " on " + options.text("dataset", "mnist") + ", " + epochs + " epochs, "
                + (seeds == 1 ? "1 seed" : "mean and sd of " + seeds + " seeds");
    }

    private static double value(JsonElement element) {
        return element == null || element.isJsonNull() ? Double.NaN : element.getAsDouble();
    }
}
