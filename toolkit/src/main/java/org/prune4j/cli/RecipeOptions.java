package org.prune4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.prune4j.data.Datasets;
import org.prune4j.gap.CGap;
import org.prune4j.orchestrate.PGap;
import org.prune4j.mask.NofM;
import org.prune4j.mask.Pattern;
import org.prune4j.method.SparsityMethod;
import org.prune4j.nn.ModelSpec;
import org.prune4j.nn.Models;
import org.prune4j.recipe.Recipe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code train} options that make up a {@link Recipe}, their defaults (each written here once), and the
 * step from options to a resolved recipe. {@code train}, {@code sweep} and {@code --recipe FILE} all go through
 * {@link #resolve(Options)}, so a recipe file and the same options typed out are validated by one path and give
 * the same recipe.
 */
final class RecipeOptions {

    /** Options that are the recipe's common settings (its JSON keys). */
    static final Set<String> COMMON = Set.copyOf(Recipe.KEYS);

    /** Options that are a method's own settings (a recipe's {@value Recipe#METHOD_OPTIONS}). */
    static final Set<String> METHOD = Set.copyOf(org.prune4j.registry.MethodRegistry.SETTING_NAMES);

    static final String DEFAULT_MODEL = "lenet300";
    static final String DEFAULT_DATASET = "mnist";
    static final String DEFAULT_METHOD = "gmp";
    static final String DEFAULT_PATTERN = "unstructured";
    static final String DEFAULT_LR_SCHEDULE = "cosine";
    static final int DEFAULT_EPOCHS = 3;
    static final int DEFAULT_BATCH_SIZE = 64;
    static final long DEFAULT_SEED = 1;
    /** The final sparsity of an unstructured, channel or block pattern when none is given. */
    static final double DEFAULT_SPARSITY = 0.9;

    private RecipeOptions() {
    }

    private static final Set<String> ALL = java.util.stream.Stream.concat(COMMON.stream(), METHOD.stream())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Every option a recipe can set. */
    static Set<String> all() {
        return ALL;
    }

    /** The default sparsity for a pattern: an N:M pattern fixes it at 1 - N/M. */
    static double defaultSparsity(Pattern pattern) {
        return pattern instanceof NofM nm ? 1 - nm.density() : DEFAULT_SPARSITY;
    }

    /**
     * The default learning rate: the model's own rate with the model's own optimizer (0.1 with SGD for the image
     * models, 5e-4 with AdamW for BERT-Tiny); otherwise 0.1 for SGD and 1e-3 for AdamW.
     */
    static double defaultLearningRate(String optimizer, String model) {
        ModelSpec spec = Models.spec(model);
        if (spec.optimizer().equals(optimizer)) {
            return spec.learningRate();
        }
        return optimizer.equals("adamw") ? 1e-3 : 0.1;
    }

    /** The dataset a model trains on when none is given: imdb for a text model, else mnist. */
    static String defaultDataset(ModelSpec spec) {
        return spec.readsTokens() ? "imdb" : DEFAULT_DATASET;
    }

    /**
     * The dataset name, checked against what the model reads: token ids (imdb) or images (the others).
     *
     * @throws UsageException naming the mismatch and what would be accepted
     */
    static String checkDataset(ModelSpec spec, String dataset) {
        boolean text = Datasets.isText(dataset);
        if (spec.readsTokens() && !text) {
            throw new UsageException("--model " + spec.name() + " reads token ids, not images: expected --dataset imdb");
        }
        if (!spec.readsTokens() && text) {
            throw new UsageException("--dataset " + dataset + " is text: expected a text model, --model "
                    + String.join(" or --model ", Models.specs().stream().filter(ModelSpec::readsTokens)
                    .map(ModelSpec::name).toList()));
        }
        return dataset;
    }

    /** The default weight decay: 5e-4 for SGD (the papers' recipes), 0.01 for AdamW. */
    static double defaultWeightDecay(String optimizer) {
        return optimizer.equals("adamw") ? 0.01 : 5e-4;
    }

    /**
     * The recipe the options describe, every default applied and every value checked (the method is built once
     * to check its settings and to find a GaP schedule's epochs).
     *
     * @throws UsageException or IllegalArgumentException naming the bad value
     */
    static Recipe resolve(Options options) {
        String model = options.text("model", DEFAULT_MODEL);
        ModelSpec spec = Models.spec(model);
        String dataset = checkDataset(spec, Datasets.checkName(options.text("dataset", defaultDataset(spec))));
        String methodName = options.text("method", DEFAULT_METHOD);
        Pattern pattern = Pattern.parse(options.text("pattern", DEFAULT_PATTERN));
        double sparsity = options.number("sparsity", defaultSparsity(pattern));
        SparsityMethod method = methodName.equals("pgap") ? null : Main.method(methodName, sparsity, options);
        PGap pgap = methodName.equals("pgap") ? Main.pgap(sparsity, options) : null;
        int scheduleEpochs = pgap != null ? pgap.epochs()
                : method instanceof CGap cgap ? cgap.schedule().totalEpochs() : DEFAULT_EPOCHS;
        int epochs = options.integer("epochs", scheduleEpochs, 1, 100_000);
        if ((pgap != null || method instanceof CGap) && epochs != scheduleEpochs) {
            throw new UsageException("--epochs " + epochs + " does not match the " + methodName + " schedule: it needs "
                    + scheduleEpochs + (pgap != null ? " (R*T + F)" : " (K*T*R + F)") + "; leave --epochs out to use it");
        }
        String alsoPrune = alsoPrune(options.text("also-prune", Recipe.NONE), spec);
        String optimizer = options.text("optimizer", spec.optimizer());
        if (!optimizer.equals("sgd") && !optimizer.equals("sgd-nesterov") && !optimizer.equals("adamw")) {
            throw new UsageException("unknown optimizer '" + optimizer + "': expected sgd, sgd-nesterov or adamw");
        }
        String lrSchedule = options.text("lr-schedule", DEFAULT_LR_SCHEDULE);
        Map<String, String> own = new TreeMap<>();
        options.values().forEach((name, value) -> {
            if (METHOD.contains(name)) {
                own.put(name, value);
            }
        });
        double lr = options.number("lr", defaultLearningRate(optimizer, model));
        double weightDecay = options.number("wd", defaultWeightDecay(optimizer));
        // Built once to check the rate, the decay and the schedule's text, with the optimizer's own messages.
        Main.optimizer(optimizer, lr, weightDecay, lrSchedule);
        return new Recipe(model, dataset, options.integer("train-size", 0, 0, Integer.MAX_VALUE), methodName,
                sparsity, pattern.name(), alsoPrune, new TreeMap<>(own), optimizer, lr, weightDecay, lrSchedule, epochs,
                options.integer("batch-size", DEFAULT_BATCH_SIZE, 1, 1_000_000), options.longValue("seed", DEFAULT_SEED));
    }

    /**
     * {@code --also-prune}: layers the model keeps dense by default, checked against the model and written in the
     * model's order without repeats ({@code classifier,embedding} becomes {@code embedding,classifier}).
     */
    static String alsoPrune(String value, ModelSpec spec) {
        if (value.equals(Recipe.NONE)) {
            return value;
        }
        List<String> keptDense = spec.denseByDefault();
        if (keptDense.isEmpty()) {
            throw new UsageException("--also-prune " + value + " does not apply to " + spec.name()
                    + ": it masks every layer already (bert-tiny keeps its embedding and classifier dense)");
        }
        Set<String> asked = new java.util.LinkedHashSet<>();
        for (String layer : value.split(",", -1)) {
            if (!keptDense.contains(layer.strip())) {
                throw new UsageException("--also-prune '" + layer.strip() + "' is not a layer " + spec.name()
                        + " keeps dense: expected " + String.join(", ", keptDense) + " (comma-separated) or none");
            }
            asked.add(layer.strip());
        }
        return String.join(",", keptDense.stream().filter(asked::contains).toList());
    }

    /**
     * The recipe in a file's text: the whole object, or the {@code "recipe"} object of a run's summary.json, so
     * {@code --recipe runs/x/summary.json} trains run x again.
     */
    private static String recipeOf(String text) {
        try {
            JsonElement root = JsonParser.parseString(text);
            if (root.isJsonObject() && root.getAsJsonObject().get("recipe") instanceof JsonObject recipe) {
                return recipe.toString();
            }
        } catch (JsonParseException e) {
            // Not JSON: Recipe.optionsFromJson names the error in its own words.
        }
        return text;
    }

    /**
     * The options with a recipe file's settings underneath: a key of {@code --recipe FILE} applies unless the
     * same option is also on the command line, so {@code --recipe r.json --seed 2} is r.json with seed 2.
     */
    static Options withRecipeFile(Options options, Set<String> accepted, Set<String> flags) {
        String file = options.text("recipe", null);
        if (file == null) {
            return options;
        }
        Path path = Path.of(file);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("--recipe " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "): expected a recipe JSON file, such as one written by --print-recipe");
        }
        return withRecipeText(options, text, "--recipe " + file, accepted, flags);
    }

    /**
     * The options with a recipe's settings underneath, the recipe given as JSON text; {@code source} names it in
     * an error ("--recipe FILE", "recipe").
     */
    static Options withRecipeText(Options options, String text, String source, Set<String> accepted, Set<String> flags) {
        Map<String, String> merged;
        try {
            merged = new LinkedHashMap<>(Recipe.optionsFromJson(recipeOf(text), all()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(source + " " + e.getMessage());
        }
        options.values().forEach((name, value) -> {
            if (!name.equals("recipe")) {
                merged.put(name, value);
            }
        });
        return Options.of(merged, accepted, flags);
    }
}
