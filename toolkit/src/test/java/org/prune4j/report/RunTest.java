package org.prune4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

class RunTest {

    private final Run run = Fixtures.lenet();

    @Test
    void measuredSparsityIsOneMinusTotalNonzerosOverTotalParameters() {
        long parameters = 300 * 784 + 100 * 300 + 10 * 100;
        long nonzeros = 23_520 + 3_000 + 1_000;
        assertEquals(266_200, parameters);
        assertEquals(27_520, nonzeros);
        assertEquals(1.0 - 27_520.0 / 266_200.0, run.measuredSparsity(), 0.0);
        assertEquals(0.896619, run.measuredSparsity(), 1e-6);
    }

    @Test
    void historyTableHasOneTypedColumnPerStatistic() {
        Table history = run.history();
        assertEquals("history", history.name());
        assertEquals(List.of("epoch", "loss", "trainAccuracy", "testAccuracy", "sparsity", "lr", "seconds"),
                history.columnNames());
        assertEquals(ColumnType.INTEGER, history.column("epoch").type());
        for (String name : List.of("loss", "trainAccuracy", "testAccuracy", "sparsity", "lr", "seconds")) {
            assertEquals(ColumnType.DOUBLE, history.column(name).type(), name);
        }
        assertEquals(20, history.rowCount());
        for (int i = 0; i < 20; i++) {
            EpochStats row = run.historyRows().get(i);
            assertEquals(row.epoch(), history.intColumn("epoch").getInt(i));
            assertEquals(row.loss(), history.doubleColumn("loss").getDouble(i), 0.0);
            assertEquals(row.trainAccuracy(), history.doubleColumn("trainAccuracy").getDouble(i), 0.0);
            assertEquals(row.testAccuracy(), history.doubleColumn("testAccuracy").getDouble(i), 0.0);
            assertEquals(row.sparsity(), history.doubleColumn("sparsity").getDouble(i), 0.0);
            assertEquals(row.learningRate(), history.doubleColumn("lr").getDouble(i), 0.0);
            assertEquals(row.seconds(), history.doubleColumn("seconds").getDouble(i), 0.0);
        }
    }

    @Test
    void layersTableListsEveryWeightThenATotal() {
        Table layers = run.layers();
        assertEquals("layers", layers.name());
        assertEquals(List.of("layer", "shape", "parameters", "nonzeros", "density"), layers.columnNames());
        assertEquals(ColumnType.STRING, layers.column("layer").type());
        assertEquals(ColumnType.STRING, layers.column("shape").type());
        assertEquals(ColumnType.LONG, layers.column("parameters").type());
        assertEquals(ColumnType.LONG, layers.column("nonzeros").type());
        assertEquals(ColumnType.DOUBLE, layers.column("density").type());

        assertEquals(List.of("fc1", "fc2", "fc3", "total"), layers.stringColumn("layer").asList());
        assertEquals(List.of("300x784", "100x300", "10x100", ""), layers.stringColumn("shape").asList());
        assertEquals(List.of(235_200L, 30_000L, 1_000L, 266_200L), layers.longColumn("parameters").asList());
        assertEquals(List.of(23_520L, 3_000L, 1_000L, 27_520L), layers.longColumn("nonzeros").asList());
        assertEquals(List.of(0.1, 0.1, 1.0, 27_520.0 / 266_200.0), layers.doubleColumn("density").asList());
        assertEquals(1.0 - run.measuredSparsity(), layers.doubleColumn("density").getDouble(3), 1e-15);
    }

    @Test
    void accessorsReportTheRun() {
        assertEquals(Fixtures.info("gmp", 0.9), run.info());
        assertEquals(run.historyRows().get(19).testAccuracy(), run.testAccuracy(), 0.0);
        assertEquals(64.5, run.trainSeconds(), 0.0);
        assertEquals(9_380 / 64.5, run.stepsPerSecond(), 1e-12);
        assertEquals(20, run.epochs());
        assertFalse(run.partial());
        assertThrows(UnsupportedOperationException.class, () -> run.historyRows().clear());
        assertThrows(UnsupportedOperationException.class, () -> run.layerRows().clear());
    }

    /** P-GaP records one row per round of T epochs: the run's epochs are the last row's, not the row count. */
    @Test
    void epochsAreTheLastRowsEpochNotTheRowCount() {
        List<EpochStats> everySecond = Fixtures.history(0.9, 0.01).stream().filter(row -> row.epoch() % 2 == 0).toList();
        Run rounds = Run.of(Fixtures.info("pgap", 0.9), everySecond, Fixtures.LENET_LAYERS, 1.0, 10);
        assertEquals(10, everySecond.size());
        assertEquals(20, rounds.epochs());
        assertFalse(rounds.summary().contains("stopped early"), rounds.summary());
    }

    @Test
    void runCopiesTheCallersLists() {
        List<EpochStats> history = new ArrayList<>(Fixtures.history(0.9, 0.01));
        Run copy = Run.of(Fixtures.info("gmp", 0.9), history, Fixtures.LENET_LAYERS, 1.0, 10);
        history.clear();
        assertEquals(20, copy.historyRows().size());
    }

    @Test
    void withPartialMarksARunStoppedEarly() {
        Run partial = Run.of(Fixtures.info("gmp", 0.9), Fixtures.history(0.9, 0.01).subList(0, 5),
                Fixtures.LENET_LAYERS, 10.0, 100).withPartial(true);
        assertTrue(partial.partial());
        assertFalse(partial.withPartial(false).partial());
        assertNotSame(partial, partial.withPartial(false));
        assertTrue(partial.summary().contains("5 of 20 epochs"), partial.summary());
        assertTrue(JsonParser.parseString(partial.summaryJson()).getAsJsonObject().get("partial").getAsBoolean());
    }

    @Test
    void summaryIsTwoShortLinesAndToString() {
        String summary = run.summary();
        assertEquals(summary, run.toString());
        String[] lines = summary.split("\n");
        assertEquals(2, lines.length);
        assertEquals("gmp on lenet300/mnist: sparsity 0.900 target, 0.897 measured; test accuracy 0.9768", lines[0]);
        assertEquals("20 epochs in 64.5 s (145.4 steps/s), seed 1, cpu()", lines[1]);
    }

    @Test
    void summaryJsonParsesBackWithTheRequiredFields() {
        JsonObject json = JsonParser.parseString(run.summaryJson()).getAsJsonObject();
        assertEquals(Set.of("model", "dataset", "method", "targetSparsity", "measuredSparsity", "testAccuracy",
                "epochs", "trainSeconds", "stepsPerSecond", "seed", "device", "partial", "inferenceFlopsDense",
                "inferenceFlopsSparse", "trainingFlops", "trainingFlopsDense", "trainingKernel", "recipe"), json.keySet());
        assertTrue(json.get("trainingKernel").isJsonNull(), "no kernel paths for a run that never took the kernel");
        assertTrue(json.get("trainingFlops").isJsonNull(), "FLOPs are null for a run built without them");
        assertTrue(json.get("recipe").isJsonNull(), "no recipe for a run built through the API alone");
        assertEquals("lenet300", json.get("model").getAsString());
        assertEquals("mnist", json.get("dataset").getAsString());
        assertEquals("gmp", json.get("method").getAsString());
        assertEquals(0.9, json.get("targetSparsity").getAsDouble(), 0.0);
        assertEquals(run.measuredSparsity(), json.get("measuredSparsity").getAsDouble(), 0.0);
        assertEquals(run.testAccuracy(), json.get("testAccuracy").getAsDouble(), 0.0);
        assertEquals(20, json.get("epochs").getAsInt());
        assertEquals(64.5, json.get("trainSeconds").getAsDouble(), 0.0);
        assertEquals(run.stepsPerSecond(), json.get("stepsPerSecond").getAsDouble(), 0.0);
        assertEquals(1L, json.get("seed").getAsLong());
        assertEquals("cpu()", json.get("device").getAsString());
        assertFalse(json.get("partial").getAsBoolean());
        assertTrue(json.get("testAccuracy").getAsJsonPrimitive().isNumber(), "numbers, not strings");
        assertTrue(run.summaryJson().contains("\n  \"model\""), "pretty-printed");
    }

    @Test
    void aRunThroughTheTrainingKernelSaysWhichPathEachLayerTook() {
        java.util.Map<String, String> layers = new java.util.LinkedHashMap<>();
        layers.put("fc1", "sparse");
        layers.put("fc2", "dense");
        layers.put("fc3", "dense");
        Run withKernel = run.withKernelPaths(new KernelPaths(0.1, layers)).withPartial(true).withPartial(false);
        assertEquals("20 epochs in 64.5 s (145.4 steps/s), seed 1, cpu(), training kernel: fc1 sparse, fc2 dense, fc3 dense",
                withKernel.summary().split("\n")[1]);
        JsonObject kernel = JsonParser.parseString(withKernel.summaryJson()).getAsJsonObject().getAsJsonObject("trainingKernel");
        assertEquals(0.1, kernel.get("crossoverDensity").getAsDouble(), 0.0);
        assertEquals("{\"fc1\":\"sparse\",\"fc2\":\"dense\",\"fc3\":\"dense\"}", kernel.get("layers").toString());
        IllegalArgumentException path = assertThrows(IllegalArgumentException.class,
                () -> new KernelPaths(0.1, java.util.Map.of("fc1", "fast")));
        assertEquals("layer fc1 took path 'fast': expected sparse or dense", path.getMessage());
        IllegalArgumentException crossover = assertThrows(IllegalArgumentException.class,
                () -> new KernelPaths(1.5, layers));
        assertEquals("crossover density 1.5 is outside (0, 1]", crossover.getMessage());
    }

    @Test
    void aRunWithItsRecipeEmbedsItInSummaryJson() {
        org.prune4j.recipe.Recipe recipe = new org.prune4j.recipe.Recipe("lenet300", "mnist", 0, "gmp", 0.9, "unstructured",
                org.prune4j.recipe.Recipe.NONE, new java.util.TreeMap<>(), "sgd", 0.1, 5e-4, "step:10,15", 20, 128, 1);
        JsonObject json = JsonParser.parseString(run.withRecipe(recipe).summaryJson()).getAsJsonObject();
        assertEquals(recipe, org.prune4j.recipe.Recipe.fromJson(json.get("recipe").toString()));
        assertEquals(recipe, run.withRecipe(recipe).withPartial(true).recipe().orElseThrow(), "kept by every with-copy");
    }

    @Test
    void undefinedNumbersBecomeJsonNull() {
        Run empty = Run.of(Fixtures.info("gmp", 0.9), List.of(), List.of(), 0.0, 0).withPartial(true);
        JsonObject json = JsonParser.parseString(empty.summaryJson()).getAsJsonObject();
        assertTrue(json.get("testAccuracy").isJsonNull());
        assertTrue(json.get("stepsPerSecond").isJsonNull());
        assertEquals(0.0, json.get("measuredSparsity").getAsDouble(), 0.0);
        assertEquals(0, json.get("epochs").getAsInt());
        assertEquals(List.of("total"), empty.layers().stringColumn("layer").asList());
        assertEquals(0, empty.history().rowCount());
    }

    @Test
    void runRejectsEpochsThatDoNotIncrease() {
        List<EpochStats> rows = List.of(Fixtures.history(0.9, 0.01).get(1), Fixtures.history(0.9, 0.01).get(1));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Run.of(Fixtures.info("gmp", 0.9), rows, List.of(), 1.0, 1));
        assertEquals("history epoch 2 at row 1 outside (2,inf): epochs must increase", e.getMessage());
    }

    @Test
    void runRejectsDuplicateLayersAndBadTotals() {
        LayerStats fc1 = Fixtures.LENET_LAYERS.get(0);
        RunInfo info = Fixtures.info("gmp", 0.9);
        var duplicate = assertThrows(IllegalArgumentException.class,
                () -> Run.of(info, List.of(), List.of(fc1, fc1), 1.0, 1));
        assertEquals("layer fc1 appears twice in layers", duplicate.getMessage());
        var seconds = assertThrows(IllegalArgumentException.class,
                () -> Run.of(info, List.of(), List.of(), Double.NaN, 1));
        assertEquals("trainSeconds NaN outside [0,inf)", seconds.getMessage());
        var steps = assertThrows(IllegalArgumentException.class,
                () -> Run.of(info, List.of(), List.of(), 1.0, -3));
        assertEquals("steps -3 outside [0,inf)", steps.getMessage());
    }

    @Test
    void runsWithEqualContentAreEqual() {
        assertEquals(Fixtures.lenet(), Fixtures.lenet());
        assertEquals(Fixtures.lenet().hashCode(), Fixtures.lenet().hashCode());
        assertFalse(Fixtures.lenet().equals(Fixtures.lenet().withPartial(true)));
    }
}
