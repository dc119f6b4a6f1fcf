package org.prune4j.exec;

import org.prune4j.recipe.Recipe;

import java.util.Collections;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One independent training, described so that any JVM with the toolkit can run it: which command runs it
 * ({@code train}, or {@code pgap-worker} for one worker of a P-GaP round), the {@link Recipe} that decides what it
 * computes, the few run settings that are not part of a recipe (such as {@code checkpoint-every} or a worker's
 * {@code grow}), and the input files it reads, as bytes in the toolkit's own formats (such as a P-GaP
 * {@code ModelState} file).
 *
 * <p>The recipe is a typed value, not a command line: executors and Spark ship it as JSON ({@link TaskCodec}) and
 * the runner hands it to the command as {@code --recipe FILE}. Paths are the executor's business, never the
 * task's: the runner writes each input to a file in the task's own folder and appends {@code --<option> <that
 * file>}, and appends {@code --out <folder>} for the files the command writes, which come back as the task's
 * {@link TaskResult}.
 *
 * @param name    a short label, unique in one batch (a sweep setting's folder name, "round 0 worker 1")
 * @param command the command that runs it: {@value #TRAIN} or {@value #PGAP_WORKER}
 * @param recipe  what it trains
 * @param options run settings outside the recipe, option name (without {@code --}) to value
 * @param inputs  option name (without {@code --}) to the bytes of the file that option names
 */
public record TrainingTask(String name, String command, Recipe recipe, Map<String, String> options,
                           Map<String, byte[]> inputs) {

    /** The command of a whole training. */
    public static final String TRAIN = "train";

    /** The command of one P-GaP worker. */
    public static final String PGAP_WORKER = "pgap-worker";

    /** Option names the runner sets itself. */
    private static final Set<String> RESERVED = Set.of("out", "recipe");

    private static final Pattern OPTION = Pattern.compile("[a-z][a-z0-9-]*");

    /** Validates and copies. */
    public TrainingTask {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a training task needs a name, got '" + name + "'");
        }
        if (!TRAIN.equals(command) && !PGAP_WORKER.equals(command)) {
            throw new IllegalArgumentException("training task '" + name + "' has command '" + command + "': expected "
                    + TRAIN + " or " + PGAP_WORKER);
        }
        if (recipe == null) {
            throw new IllegalArgumentException("training task '" + name + "' has no recipe: expected what it trains");
        }
        Map<String, String> settings = new TreeMap<>();
        for (Map.Entry<String, String> option : (options == null ? Map.<String, String>of() : options).entrySet()) {
            checkOption(name, option.getKey(), "option");
            if (Recipe.KEYS.contains(option.getKey())) {
                throw new IllegalArgumentException("training task '" + name + "': option '" + option.getKey()
                        + "' is part of the recipe: set it there");
            }
            settings.put(option.getKey(), option.getValue());
        }
        options = Collections.unmodifiableMap(settings);
        Map<String, byte[]> copy = new TreeMap<>();
        for (Map.Entry<String, byte[]> input : (inputs == null ? Map.<String, byte[]>of() : inputs).entrySet()) {
            checkOption(name, input.getKey(), "input");
            if (options.containsKey(input.getKey())) {
                throw new IllegalArgumentException("training task '" + name + "' names --" + input.getKey()
                        + " both as an option and as an input file");
            }
            copy.put(input.getKey(), input.getValue().clone());
        }
        inputs = Collections.unmodifiableMap(copy);
    }

    private static void checkOption(String task, String option, String what) {
        if (option == null || !OPTION.matcher(option).matches() || RESERVED.contains(option)) {
            throw new IllegalArgumentException("training task '" + task + "': " + what + " '" + option
                    + "' is not an option name: expected lower-case letters, digits and '-', not 'out' or 'recipe'");
        }
    }

    /** A {@value #TRAIN} task without input files. */
    public static TrainingTask train(String name, Recipe recipe, Map<String, String> options) {
        return new TrainingTask(name, TRAIN, recipe, options, Map.of());
    }

    /** The input for {@code --option}; a copy. */
    public byte[] input(String option) {
        byte[] bytes = inputs.get(option);
        if (bytes == null) {
            throw new IllegalArgumentException("training task '" + name + "' has no input '" + option + "': it has " + inputs.keySet());
        }
        return bytes.clone();
    }

    /**
     * The command line without its file options: the command, {@code --recipe FILE}, then the run settings. The
     * runner appends the inputs and {@code --out}.
     */
    public List<String> commandLine(String recipeFile) {
        List<String> args = new ArrayList<>(List.of(command, "--recipe", recipeFile));
        options.forEach((option, value) -> {
            args.add("--" + option);
            args.add(value);
        });
        return args;
    }
}
