package org.prune4j.cli;

import org.prune4j.recipe.Recipe;
import org.prune4j.report.Run;
import org.prune4j.train.SparseTraining;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Recipes from Java: read one (a {@code recipe.json}, a run's {@code summary.json}, or {@code --print-recipe}'s
 * output), change a knob with {@link Recipe#with}, and train it exactly as {@code ./prune4j train --recipe FILE}
 * would, through the same plan. What notebooks use to load and tweak a recipe.
 *
 * <pre>{@code
 * Recipe recipe = RecipeRuns.read(Path.of("runs/lenet300-gmp-0.9/recipe.json")).with("seed", 2);
 * Run run = RecipeRuns.fit(recipe);
 * }</pre>
 */
public final class RecipeRuns {

    private RecipeRuns() {}

    /**
     * The recipe in a file: a recipe JSON (keys left out take the command line's defaults) or a run's summary.json.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it, in one line
     */
    public static Recipe read(Path file) {
        try {
            return of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recipe " + file, e);
        }
    }

    /**
     * The recipe in JSON text, resolved: keys left out take the command line's defaults, so
     * {@code {"method": "rigl", "sparsity": 0.98}} is a whole recipe.
     *
     * @throws IllegalArgumentException naming the key or the JSON error, in one line
     */
    public static Recipe of(String json) {
        try {
            return RecipeOptions.resolve(RecipeOptions.withRecipeText(Options.of(Map.of(), Main.trainOptions(), Set.of()),
                    json, "recipe", Main.trainOptions(), Set.of()));
        } catch (UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The recipe's training, with its method, ready to {@code fit()} or to step through a session. P-GaP is not
     * one training: use {@link #fit}.
     *
     * @throws IllegalArgumentException for a pgap recipe
     */
    public static SparseTraining training(Recipe recipe) {
        TrainPlan plan = plan(recipe);
        if (plan.pgap() != null) {
            throw new IllegalArgumentException("method pgap is K worker trainings per round, not one training: use"
                    + " RecipeRuns.fit(recipe)");
        }
        return TrainPlan.training(recipe, plan.optimizer()).recipe(recipe)
                .method(plan.method() == null ? org.prune4j.method.Methods.dense() : plan.method());
    }

    /** Trains the recipe (P-GaP's rounds in this JVM) and returns its run; nothing is written. */
    public static Run fit(Recipe recipe) {
        TrainPlan plan = plan(recipe);
        if (plan.pgap() != null) {
            return plan.pgap().fit(TrainPlan.training(recipe, plan.optimizer()).recipe(recipe));
        }
        return training(recipe).fit();
    }

    private static TrainPlan plan(Recipe recipe) {
        try {
            return TrainPlan.of(recipe, Options.of(Map.of(), Main.trainOptions(), Set.of()), Path.of("runs", "unused"));
        } catch (UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
