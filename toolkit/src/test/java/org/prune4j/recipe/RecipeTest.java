package org.prune4j.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

class RecipeTest {

    private static final Set<String> ALLOWED = Set.of("model", "dataset", "train-size", "method", "sparsity", "pattern",
            "also-prune", "optimizer", "lr", "wd", "lr-schedule", "epochs", "batch-size", "seed", "tau", "interval");

    private static Recipe pdp() {
        return new Recipe("lenet300", "mnist", 0, "pdp", 0.9, "unstructured", Recipe.NONE, new TreeMap<>(Map.of("tau", "0.001")),
                "sgd", 0.1, 5e-4, "step:10,15", 20, 128, 2);
    }

    @Test
    void theJsonFormReadsBackIntoTheSameOptionsWithExactlyTheSameNumbers() {
        Recipe recipe = new Recipe("lenet5", "fashion-mnist", 1000, "gmp", 0.1 + 0.2, "unstructured", "embedding",
                new TreeMap<>(Map.of("interval", "100")), "sgd", 0.1 * 3, 1e-4 / 3, "cosine", 3, 64, 7);
        Map<String, String> back = Recipe.optionsFromJson(recipe.toJson(), ALLOWED);
        assertEquals(recipe.toOptions(), back);
        // 0.1 + 0.2 = 0.30000000000000004: the shortest round-trip form keeps every bit.
        assertEquals(0.1 + 0.2, Double.parseDouble(back.get("sparsity")));
        assertEquals(1e-4 / 3, Double.parseDouble(back.get("wd")));
    }

    @Test
    void aResolvedRecipeReadsBackEqualBitForBit() {
        Recipe recipe = new Recipe("lenet5", "fashion-mnist", 1000, "gmp", 0.1 + 0.2, "2:4", "embedding",
                new TreeMap<>(Map.of("interval", "100", "tau", "0.001")), "adamw", 0.1 * 3, 1e-4 / 3, "step:10,15", 3, 64, 7);
        assertEquals(recipe, Recipe.fromJson(recipe.toJson()));
        assertEquals(pdp(), Recipe.fromJson(pdp().toJson()));
    }

    @Test
    void aPartialRecipeIsNotAResolvedOne() {
        assertEquals("recipe has no value for 'seed': a resolved recipe names all of model, dataset, train-size, method,"
                        + " sparsity, pattern, also-prune, optimizer, lr, wd, lr-schedule, epochs, batch-size, seed",
                assertThrows(IllegalArgumentException.class,
                        () -> Recipe.fromJson(pdp().toJson().replace("\"seed\": 2", "\"seeds\": 2"))).getMessage());
        assertEquals("recipe is not a JSON object: expected {\"model\": \"lenet300\", ...}",
                assertThrows(IllegalArgumentException.class, () -> Recipe.fromJson("[1]")).getMessage());
    }

    @Test
    void theJsonFormUsesTheCommandLinesOptionNamesInAFixedOrder() {
        String json = pdp().toJson();
        assertTrue(json.startsWith("{\n  \"model\": \"lenet300\",\n  \"dataset\": \"mnist\",\n  \"train-size\": 0,"), json);
        assertTrue(json.contains("\"batch-size\": 128,"), json);
        assertTrue(json.contains("\"method-options\": {\n    \"tau\": \"0.001\"\n  }"), json);
        assertEquals(Recipe.KEYS, new java.util.ArrayList<>(pdp().toOptions().keySet()).subList(0, Recipe.KEYS.size()));
    }

    @Test
    void aShortRecipeGivesOnlyItsOwnKeys() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("method", "rigl");
        expected.put("sparsity", "0.98");
        expected.put("tau", "0.01");
        assertEquals(expected, Recipe.optionsFromJson(
                "{\"method\": \"rigl\", \"sparsity\": 0.98, \"method-options\": {\"tau\": 0.01}}", ALLOWED));
    }

    @Test
    void badFilesAreNamedInOneLine() {
        assertEquals("has an unknown key 'lr_rate': expected one of also-prune, batch-size, dataset, epochs, interval, lr,"
                        + " lr-schedule, method, model, optimizer, pattern, seed, sparsity, tau, train-size, wd or method-options",
                assertThrows(IllegalArgumentException.class,
                        () -> Recipe.optionsFromJson("{\"lr_rate\": 0.1}", ALLOWED)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Recipe.optionsFromJson("{\"lr\": ", ALLOWED))
                .getMessage().startsWith("is not valid JSON: "));
        assertEquals("is not a JSON object: expected {\"model\": \"lenet300\", ...}", assertThrows(
                IllegalArgumentException.class, () -> Recipe.optionsFromJson("[1, 2]", ALLOWED)).getMessage());
        assertEquals("key 'epochs' is not a string or number: [1,2]", assertThrows(IllegalArgumentException.class,
                () -> Recipe.optionsFromJson("{\"epochs\": [1, 2]}", ALLOWED)).getMessage());
    }

    @Test
    void aRecipeOutsideItsRangesIsRefused() {
        assertEquals("sparsity 1.0 is outside [0, 1)", assertThrows(IllegalArgumentException.class,
                () -> new Recipe("m", "d", 0, "gmp", 1.0, "unstructured", Recipe.NONE, new TreeMap<>(), "sgd", 0.1, 0, "cosine", 1, 1, 1))
                .getMessage());
        assertEquals("epochs 0 is not at least 1", assertThrows(IllegalArgumentException.class,
                () -> new Recipe("m", "d", 0, "gmp", 0.5, "unstructured", Recipe.NONE, new TreeMap<>(), "sgd", 0.1, 0, "cosine", 0, 1, 1))
                .getMessage());
        assertEquals("method option 'seed' is a common setting: give it at the top level", assertThrows(
                IllegalArgumentException.class, () -> new Recipe("m", "d", 0, "gmp", 0.5, "unstructured", Recipe.NONE,
                        new TreeMap<>(Map.of("seed", "2")), "sgd", 0.1, 0, "cosine", 1, 1, 1)).getMessage());
    }
}
