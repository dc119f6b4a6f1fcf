package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code train --print-recipe} and {@code train --recipe FILE}: one recipe, one training, bit for bit. */
class RecipeCommandTest {

    private final CapturedRun cli = new CapturedRun();

    private String printRecipe(String... options) {
        cli.reset();
        String[] args = new String[options.length + 2];
        args[0] = "train";
        System.arraycopy(options, 0, args, 1, options.length);
        args[args.length - 1] = "--print-recipe";
        assertEquals(0, cli.run(args), cli.err());
        return cli.out();
    }

    @Test
    void everyDefaultIsWrittenOutAndAnNmPatternSetsTheSparsity() {
        String json = printRecipe("--method", "pdp", "--pattern", "2:4", "--tau", "0.01");
        assertTrue(json.contains("\"sparsity\": 0.5,"), json);
        assertTrue(json.contains("\"lr\": 0.1,"), json);
        assertTrue(json.contains("\"wd\": 5.0E-4,"), json);
        assertTrue(json.contains("\"epochs\": 3,"), json);
        assertTrue(json.contains("\"batch-size\": 64,"), json);
        assertTrue(json.contains("\"tau\": \"0.01\""), json);
    }

    @Test
    void alsoPruneIsWrittenInTheModelsOrderAndNoneByDefault() {
        assertTrue(printRecipe().contains("\"also-prune\": \"none\","));
        String json = printRecipe("--model", "bert-tiny", "--also-prune", "classifier,embedding,classifier");
        assertTrue(json.contains("\"also-prune\": \"embedding,classifier\","), json);
    }

    @Test
    void theDefaultFolderIsNamedByTheRealSparsity() {
        assertEquals(Path.of("runs", "lenet300-gmp-0.5"),
                TrainPlan.defaultOutDir(RecipeOptions.resolve(Options.parse(new String[] {"--pattern", "2:4"}, 0,
                        Main.trainOptions(), java.util.Set.of()))));
    }

    @Test
    void aCGapRecipeCarriesItsScheduleEpochs() {
        String json = printRecipe("--method", "cgap", "--partitions", "2", "--step-epochs", "2", "--rounds", "2",
                "--finetune-epochs", "1");
        assertTrue(json.contains("\"epochs\": 9,"), json);
        assertTrue(json.contains("\"partitions\": \"2\""), json);
    }

    @Test
    void badRecipeFilesExitWithTwoAndWriteNothing(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"model\": \"lenet300\", \"lr_rate\": 0.1}");
        Path out = dir.resolve("run");
        assertEquals(2, cli.run("train", "--recipe", bad.toString(), "--out", out.toString()));
        assertTrue(cli.firstErrorLine().startsWith("prune4j: --recipe " + bad + " has an unknown key 'lr_rate': expected one of "),
                cli.firstErrorLine());
        assertEquals(2, cli.err().lines().count(), cli.err());
        cli.reset();
        assertEquals(2, cli.run("train", "--recipe", dir.resolve("missing.json").toString(), "--out", out.toString()));
        assertTrue(cli.firstErrorLine().startsWith("prune4j: --recipe " + dir.resolve("missing.json") + " cannot be read"),
                cli.firstErrorLine());
        cli.reset();
        Files.writeString(bad, "{\"sparsity\": 1.5}");
        assertEquals(2, cli.run("train", "--recipe", bad.toString(), "--out", out.toString()));
        assertEquals("prune4j: sparsity 1.5 is outside [0, 1)", cli.firstErrorLine());
        assertFalse(Files.exists(out));
    }

    @Test
    @Tag("slow")
    void aPrintedRecipeFedBackTrainsBitForBitTheSameRun(@TempDir Path dir) throws Exception {
        String[] options = {"--model", "lenet300", "--method", "rigl", "--sparsity", "0.95", "--interval", "10",
            "--train-size", "1280", "--epochs", "2", "--batch-size", "64", "--lr", "0.05", "--lr-schedule", "step:1",
            "--seed", "3"};
        Path recipe = dir.resolve("recipe.json");
        Files.writeString(recipe, printRecipe(options));

        Path typed = dir.resolve("typed");
        String[] typedArgs = new String[options.length + 3];
        typedArgs[0] = "train";
        System.arraycopy(options, 0, typedArgs, 1, options.length);
        typedArgs[options.length + 1] = "--out";
        typedArgs[options.length + 2] = typed.toString();
        assertEquals(0, cli.run(typedArgs), cli.err());
        Path fromFile = dir.resolve("from-file");
        assertEquals(0, cli.run("train", "--recipe", recipe.toString(), "--out", fromFile.toString()), cli.err());

        for (String file : List.of("model.params", "masks.csv", "layers.csv", "recipe.json")) {
            assertArrayEquals(Files.readAllBytes(typed.resolve(file)), Files.readAllBytes(fromFile.resolve(file)), file);
        }
        // The history's last column is wall time; everything else must match exactly.
        assertEquals(withoutSeconds(typed.resolve("history.csv")), withoutSeconds(fromFile.resolve("history.csv")));
        assertEquals(Files.readString(recipe).strip(), Files.readString(typed.resolve("recipe.json")).strip());
        // summary.json embeds the same recipe, and the checkpoint's fingerprint carries it too.
        com.google.gson.JsonObject summary = com.google.gson.JsonParser.parseString(
                Files.readString(typed.resolve("summary.json"))).getAsJsonObject();
        assertEquals(org.prune4j.recipe.Recipe.fromJson(Files.readString(recipe)),
                org.prune4j.recipe.Recipe.fromJson(summary.get("recipe").toString()));
        // ... so a run's summary.json is a recipe too: it trains the same run again.
        Path fromSummary = dir.resolve("from-summary");
        assertEquals(0, cli.run("train", "--recipe", typed.resolve("summary.json").toString(), "--out",
                fromSummary.toString()), cli.err());
        assertArrayEquals(Files.readAllBytes(typed.resolve("model.params")), Files.readAllBytes(fromSummary.resolve("model.params")));

        // A key given beside --recipe overrides the file's: a different seed is a different run.
        Path reseeded = dir.resolve("reseeded");
        assertEquals(0, cli.run("train", "--recipe", recipe.toString(), "--seed", "4", "--out", reseeded.toString()),
                cli.err());
        assertTrue(Files.readString(reseeded.resolve("recipe.json")).contains("\"seed\": 4"));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(typed.resolve("model.params")),
                Files.readAllBytes(reseeded.resolve("model.params"))));
    }

    private static List<String> withoutSeconds(Path history) throws Exception {
        return Files.readAllLines(history).stream().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }
}
