package org.prune4j.recipe;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything that decides what one training computes, resolved: the model, the data, the method with its
 * settings, the mask pattern, the optimizer and learning-rate policy, epochs, batch size and seed. Where a run
 * is written, which device it uses and how often it checkpoints are not part of it: they change where and how
 * fast the numbers come, not the numbers.
 *
 * <p>Its JSON form uses the {@code train} command's option names as keys ({@code "batch-size": 128}), so a
 * recipe reads like the command line it came from, and {@code ./prune4j train --print-recipe ...} prints one
 * that {@code --recipe FILE} runs again bit for bit. Method-specific settings ({@code interval}, {@code tau},
 * {@code rounds}, ...) sit under {@code "method-options"}. Numbers are written in Java's shortest round-trip
 * form, so reading a printed recipe gives back exactly the same doubles.
 *
 * @param model         zoo model name, such as lenet300
 * @param dataset       dataset name, such as mnist
 * @param trainSize     training images used, 0 for all
 * @param method        method name, such as gmp
 * @param sparsity      final sparsity in [0, 1)
 * @param pattern       mask pattern: unstructured, N:M, channel or block:BxK
 * @param alsoPrune     layers the model keeps dense by default that are masked too, comma-separated in the model's
 *                      order ({@code embedding,classifier} for bert-tiny), or {@value #NONE}
 * @param methodOptions the method's own settings, option name to value as on the command line, sorted by name
 * @param optimizer     sgd, sgd-nesterov or adamw
 * @param lr            the base learning rate
 * @param weightDecay   the weight decay
 * @param lrSchedule    cosine, constant, linear or step:E1,E2[xF]
 * @param epochs        epochs of training
 * @param batchSize     mini-batch size
 * @param seed          random seed of the initialisation, data order and masks
 */
public record Recipe(String model, String dataset, int trainSize, String method, double sparsity, String pattern,
                     String alsoPrune, SortedMap<String, String> methodOptions, String optimizer, double lr, double weightDecay,
                     String lrSchedule, int epochs, int batchSize, long seed) {

    /** The {@code also-prune} value of a recipe that masks only the layers the model masks by default. */
    public static final String NONE = "none";

    /** The key of the method's own settings in the JSON form. */
    public static final String METHOD_OPTIONS = "method-options";

    /** The JSON keys of the common settings, in the order a recipe is written. */
    public static final List<String> KEYS = List.of("model", "dataset", "train-size", "method", "sparsity", "pattern",
            "also-prune", "optimizer", "lr", "wd", "lr-schedule", "epochs", "batch-size", "seed");

    /** Checks the ranges every recipe must satisfy and takes a sorted, unmodifiable copy of the method options. */
    public Recipe {
        requireText("model", model);
        requireText("dataset", dataset);
        requireText("method", method);
        requireText("pattern", pattern);
        requireText("also-prune", alsoPrune);
        requireText("optimizer", optimizer);
        requireText("lr-schedule", lrSchedule);
        if (trainSize < 0) {
            throw new IllegalArgumentException("train-size " + trainSize + " is negative: expected 0 (all) or a count");
        }
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity " + sparsity + " is outside [0, 1)");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr " + lr + " is not a positive finite number");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("wd " + weightDecay + " is not a finite number >= 0");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs " + epochs + " is not at least 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch-size " + batchSize + " is not at least 1");
        }
        methodOptions = Collections.unmodifiableSortedMap(new TreeMap<>(methodOptions));
        for (String key : methodOptions.keySet()) {
            if (KEYS.contains(key)) {
                throw new IllegalArgumentException("method option '" + key + "' is a common setting: give it at the top level");
            }
        }
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is missing: expected a value");
        }
    }

    /**
     * The recipe as {@code train} options, option name to value: the common settings first, then the method's.
     * Given to the {@code train} command, they reproduce this recipe.
     */
    public Map<String, String> toOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("model", model);
        options.put("dataset", dataset);
        options.put("train-size", Integer.toString(trainSize));
        options.put("method", method);
        options.put("sparsity", Double.toString(sparsity));
        options.put("pattern", pattern);
        options.put("also-prune", alsoPrune);
        options.put("optimizer", optimizer);
        options.put("lr", Double.toString(lr));
        options.put("wd", Double.toString(weightDecay));
        options.put("lr-schedule", lrSchedule);
        options.put("epochs", Integer.toString(epochs));
        options.put("batch-size", Integer.toString(batchSize));
        options.put("seed", Long.toString(seed));
        options.putAll(methodOptions);
        return options;
    }

    /** The JSON form, pretty-printed, keys in {@link #KEYS} order, then {@value #METHOD_OPTIONS}. */
    public String toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("model", model);
        json.addProperty("dataset", dataset);
        json.addProperty("train-size", trainSize);
        json.addProperty("method", method);
        json.addProperty("sparsity", sparsity);
        json.addProperty("pattern", pattern);
        json.addProperty("also-prune", alsoPrune);
        json.addProperty("optimizer", optimizer);
        json.addProperty("lr", lr);
        json.addProperty("wd", weightDecay);
        json.addProperty("lr-schedule", lrSchedule);
        json.addProperty("epochs", epochs);
        json.addProperty("batch-size", batchSize);
        json.addProperty("seed", seed);
        JsonObject own = new JsonObject();
        methodOptions.forEach(own::addProperty);
        json.add(METHOD_OPTIONS, own);
        return new GsonBuilder().setPrettyPrinting().create().toJson(json);
    }

    /**
     * Reads a recipe's JSON form into {@code train} option values (name to value as text), without applying
     * defaults or validating them: the command line's own parsing does that, so a recipe file and the same
     * options typed out are checked by one path and resolve to the same recipe. Keys left out take their
     * defaults there, so a short file such as {@code {"method": "rigl", "sparsity": 0.98}} is a recipe too.
     *
     * @param json    the file's text
     * @param allowed the option names a recipe may set (the {@code train} options that are part of a recipe)
     * @throws IllegalArgumentException naming the key or the JSON error, in one line
     */
    public static Map<String, String> optionsFromJson(String json, Set<String> allowed) {
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : jsonObject(json, "").entrySet()) {
            if (entry.getKey().equals(METHOD_OPTIONS)) {
                if (!entry.getValue().isJsonObject()) {
                    throw new IllegalArgumentException("\"" + METHOD_OPTIONS + "\" is not an object: expected {\"tau\": 0.001, ...}");
                }
                for (Map.Entry<String, JsonElement> own : entry.getValue().getAsJsonObject().entrySet()) {
                    put(options, own.getKey(), own.getValue(), allowed);
                }
            } else {
                put(options, entry.getKey(), entry.getValue(), allowed);
            }
        }
        return options;
    }

    /**
     * This recipe with one setting changed, by its option name: a common key ({@code "seed"}, {@code "sparsity"},
     * {@code "lr-schedule"}, ...) or a method option ({@code "interval"}, {@code "tau"}, ...). The value is given as
     * on the command line; the result is validated like any recipe. For notebooks: load a recipe, change a knob.
     *
     * @throws IllegalArgumentException naming the key or the value when the result is not a valid recipe
     */
    public Recipe with(String key, Object value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("a recipe setting needs a name and a value, got " + key + " = " + value);
        }
        if (KEYS.contains(key)) {
            JsonObject json = JsonParser.parseString(toJson()).getAsJsonObject();
            json.addProperty(key, value.toString());
            return fromJson(json.toString());
        }
        SortedMap<String, String> own = new TreeMap<>(methodOptions);
        own.put(key, value.toString());
        return new Recipe(model, dataset, trainSize, method, sparsity, pattern, alsoPrune, own, optimizer, lr, weightDecay,
                lrSchedule, epochs, batchSize, seed);
    }

    /**
     * A resolved recipe back from {@link #toJson}: every common key must be there (nothing is defaulted, since the
     * defaults live with the command line), and the method's settings are taken as written. This is how a recipe
     * travels as data, inside an executor task, and comes back equal to the one sent.
     *
     * @throws IllegalArgumentException naming the missing or malformed key, in one line
     */
    public static Recipe fromJson(String json) {
        JsonObject object = jsonObject(json, "recipe ");
        for (String key : KEYS) {
            if (!object.has(key) || !object.get(key).isJsonPrimitive()) {
                throw new IllegalArgumentException("recipe has no value for '" + key + "': a resolved recipe names all of "
                        + String.join(", ", KEYS));
            }
        }
        SortedMap<String, String> own = new TreeMap<>();
        if (object.has(METHOD_OPTIONS)) {
            if (!object.get(METHOD_OPTIONS).isJsonObject()) {
                throw new IllegalArgumentException("recipe's \"" + METHOD_OPTIONS + "\" is not an object");
            }
            object.getAsJsonObject(METHOD_OPTIONS).entrySet().forEach(e -> own.put(e.getKey(), e.getValue().getAsString()));
        }
        try {
            return new Recipe(text(object, "model"), text(object, "dataset"), object.get("train-size").getAsInt(),
                    text(object, "method"), object.get("sparsity").getAsDouble(), text(object, "pattern"),
                    text(object, "also-prune"), own, text(object, "optimizer"), object.get("lr").getAsDouble(),
                    object.get("wd").getAsDouble(), text(object, "lr-schedule"), object.get("epochs").getAsInt(),
                    object.get("batch-size").getAsInt(), object.get("seed").getAsLong());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("recipe has a number that is not one: " + firstLine(e.getMessage()));
        }
    }

    /** The text as a JSON object, or one line naming what it is instead ({@code subject} starts the line). */
    private static JsonObject jsonObject(String json, String subject) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(subject + "is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException(subject + "is not a JSON object: expected {\"model\": \"lenet300\", ...}");
        }
        return root.getAsJsonObject();
    }

    private static String text(JsonObject object, String key) {
        return object.get(key).getAsString();
    }

    private static void put(Map<String, String> options, String key, JsonElement value, Set<String> allowed) {
        if (!allowed.contains(key)) {
            throw new IllegalArgumentException("has an unknown key '" + key + "': expected one of "
                    + String.join(", ", new TreeSet<>(allowed)) + " or " + METHOD_OPTIONS);
        }
        if (!(value instanceof JsonPrimitive primitive)) {
            throw new IllegalArgumentException("key '" + key + "' is not a string or number: " + value);
        }
        options.put(key, primitive.getAsString());
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
    }
}
