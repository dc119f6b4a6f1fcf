package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.recipe.Recipe;
import org.prune4j.report.Run;

import java.nio.file.Files;
import java.nio.file.Path;

class RecipeRunsTest {

    private final CapturedRun cli = new CapturedRun();

    @Test
    void aRecipeFileIsReadResolvedAndTweakedByOptionName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("short.json");
        Files.writeString(file, "{\"method\": \"rigl\", \"sparsity\": 0.98}");
        Recipe recipe = RecipeRuns.read(file);
        assertEquals("rigl", recipe.method());
        assertEquals(0.98, recipe.sparsity());
        assertEquals(RecipeOptions.DEFAULT_MODEL, recipe.model(), "keys left out take the command line's defaults");

        Recipe tweaked = recipe.with("seed", 7).with("interval", 25).with("lr-schedule", "step:2");
        assertEquals(7, tweaked.seed());
        assertEquals("25", tweaked.methodOptions().get("interval"));
        assertEquals("step:2", tweaked.lrSchedule());
        assertEquals(recipe.sparsity(), tweaked.sparsity(), "everything else is kept");
        assertEquals("sparsity 1.5 is outside [0, 1)",
                assertThrows(IllegalArgumentException.class, () -> recipe.with("sparsity", 1.5)).getMessage());
        assertEquals(recipe, RecipeRuns.of(Files.readString(file)), "a file and its text are the same recipe");
        assertEquals("recipe has an unknown key 'seeds'", assertThrows(IllegalArgumentException.class,
                () -> RecipeRuns.of("{\"seeds\": 2}")).getMessage().split(":")[0]);
    }

    @Test
    @Tag("slow")
    void aRecipeTrainedFromJavaEqualsTheCommandLinesRun(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cli");
        assertEquals(0, cli.run("train", "--method", "gmp", "--sparsity", "0.9", "--interval", "10", "--train-size", "1280",
                "--epochs", "1", "--batch-size", "64", "--seed", "5", "--out", out.toString()), cli.err());
        Recipe recipe = RecipeRuns.read(out.resolve("summary.json"));

        Run run = RecipeRuns.fit(recipe);

        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertEquals(summary.get("testAccuracy").getAsDouble(), run.testAccuracy(), 0.0);
        assertEquals(summary.get("measuredSparsity").getAsDouble(), run.measuredSparsity(), 0.0);
        assertEquals(recipe, run.recipe().orElseThrow());
        // A tweak is another run: a different seed trains other weights.
        Run reseeded = RecipeRuns.fit(recipe.with("seed", 6));
        assertEquals(6, reseeded.info().seed());
    }
}
