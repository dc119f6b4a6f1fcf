package org.prune4j.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.recipe.Recipe;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

class TrainingTaskTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A resolved recipe: LeNet-300-100, GMP at 90%, one epoch on 640 images, the given seed. */
    static Recipe recipe(long seed) {
        return new Recipe("lenet300", "mnist", 640, "gmp", 0.9, "unstructured", Recipe.NONE,
                new TreeMap<>(Map.of("interval", "5")), "sgd", 0.1, 5e-4, "cosine", 1, 64, seed);
    }

    @Test
    void badTasksAreRefusedWithTheirName() {
        Recipe recipe = recipe(1);
        assertEquals("a training task needs a name, got ' '",
                assertThrows(IllegalArgumentException.class, () -> TrainingTask.train(" ", recipe, Map.of())).getMessage());
        assertEquals("training task 'a' has command 'bench': expected train or pgap-worker",
                assertThrows(IllegalArgumentException.class,
                        () -> new TrainingTask("a", "bench", recipe, Map.of(), Map.of())).getMessage());
        assertEquals("training task 'a' has no recipe: expected what it trains",
                assertThrows(IllegalArgumentException.class, () -> TrainingTask.train("a", null, Map.of())).getMessage());
        assertEquals("training task 'a': option 'out' is not an option name: expected lower-case letters, digits and '-',"
                        + " not 'out' or 'recipe'",
                assertThrows(IllegalArgumentException.class, () -> TrainingTask.train("a", recipe, Map.of("out", "x"))).getMessage());
        assertEquals("training task 'a': option 'seed' is part of the recipe: set it there",
                assertThrows(IllegalArgumentException.class, () -> TrainingTask.train("a", recipe, Map.of("seed", "2"))).getMessage());
        assertEquals("training task 'a': input 'State In' is not an option name: expected lower-case letters, digits and '-',"
                        + " not 'out' or 'recipe'",
                assertThrows(IllegalArgumentException.class,
                        () -> new TrainingTask("a", "pgap-worker", recipe, Map.of(), Map.of("State In", bytes("s")))).getMessage());
        assertEquals("training task 'a' names --state-in both as an option and as an input file",
                assertThrows(IllegalArgumentException.class, () -> new TrainingTask("a", "pgap-worker", recipe,
                        Map.of("state-in", "f"), Map.of("state-in", bytes("s")))).getMessage());
    }

    @Test
    void argumentsPutTheRecipeInputsAndOutputInTheTasksFolder(@TempDir Path dir) throws Exception {
        TrainingTask task = new TrainingTask("w", "pgap-worker", recipe(3), Map.of("grow", "0", "device", "cpu"),
                Map.of("state-in", bytes("start")));
        List<String> args = TaskRunner.arguments(task, dir);

        Path recipeFile = dir.resolve("in").resolve("recipe.json").toAbsolutePath();
        Path in = dir.resolve("in").resolve("state-in").toAbsolutePath();
        assertEquals(List.of("pgap-worker", "--recipe", recipeFile.toString(), "--device", "cpu", "--grow", "0",
                "--state-in", in.toString(), "--out", dir.resolve("out").toAbsolutePath().toString()), args);
        assertEquals("start", Files.readString(in));
        assertEquals(recipe(3), Recipe.fromJson(Files.readString(recipeFile)));
    }

    @Test
    void collectReturnsTheOutputFilesByRelativePathButNotTemporaryOnes(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out").resolve("sub"));
        Files.writeString(dir.resolve("out").resolve("summary.json"), "{}");
        Files.writeString(out.resolve("b.csv"), "b");
        Files.writeString(dir.resolve("out").resolve(".history.csv123.tmp"), "torn");

        TaskResult result = TaskRunner.collect(TrainingTask.train("t", recipe(1), Map.of()), dir, 42, 1.5);
        assertEquals(List.of("sub/b.csv", "summary.json"), List.copyOf(result.files().keySet()));
        assertEquals(42, result.pid());
        assertEquals("pid 42 on " + result.host(), result.where());
        assertEquals("task 't' left no model.params: it wrote [sub/b.csv, summary.json]",
                assertThrows(IllegalStateException.class, () -> result.file("model.params")).getMessage());
    }

    @Test
    void writeToRecreatesTheFolderAndRefusesPathsOutsideIt(@TempDir Path dir) throws Exception {
        TaskResult result = new TaskResult("t", Map.of("summary.json", bytes("{}"), "sub/x.bin", new byte[] {1, 2}), 1, "h", 0);
        result.writeTo(dir.resolve("run"));
        assertEquals("{}", Files.readString(dir.resolve("run").resolve("summary.json")));
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(dir.resolve("run").resolve("sub").resolve("x.bin")));
        for (String bad : List.of("../x", "/etc/x", "a/../../x", "")) {
            assertThrows(IllegalArgumentException.class, () -> new TaskResult("t", Map.of(bad, bytes("x")), 1, "h", 0), bad);
        }
    }

    @Test
    void tasksAndResultsRoundTripThroughBytes() {
        TrainingTask task = new TrainingTask("round 0 worker 1", "pgap-worker", recipe(7), Map.of("grow", "1,2"),
                Map.of("state-in", new byte[] {0, -1, 127, 3}));
        TrainingTask back = TaskCodec.decodeTask(TaskCodec.encode(task));
        assertEquals(task.name(), back.name());
        assertEquals(task.command(), back.command());
        assertEquals(task.recipe(), back.recipe());
        assertEquals(task.options(), back.options());
        assertArrayEquals(task.input("state-in"), back.input("state-in"));

        TaskResult result = new TaskResult("r", Map.of("summary.json", bytes("{\"a\":1}"), "w/x.state", new byte[] {9}),
                4242, "node-7", 12.345678901234);
        TaskResult again = TaskCodec.decodeResult(TaskCodec.encode(result));
        assertEquals(List.of("summary.json", "w/x.state"), List.copyOf(again.files().keySet()));
        assertArrayEquals(result.file("w/x.state"), again.file("w/x.state"));
        assertEquals(4242, again.pid());
        assertEquals("node-7", again.host());
        assertEquals(12.345678901234, again.seconds(), 0.0);
    }

    @Test
    void aFailingTaskIsReportedWithItsNameAndTheCommandsOneLineError() {
        TrainingTask bad = TrainingTask.train("bad-model", new Recipe("lenet9000", "mnist", 640, "gmp", 0.9, "unstructured",
                Recipe.NONE, new TreeMap<>(), "sgd", 0.1, 5e-4, "cosine", 1, 64, 1), Map.of());
        for (TrainingExecutor executor : List.of(new InProcessExecutor(), new ProcessExecutor(1))) {
            List<String> heard = new java.util.ArrayList<>();
            TaskFailedException failure = assertThrows(TaskFailedException.class,
                    () -> executor.run(List.of(bad), result -> heard.add(result.name())));
            assertEquals("bad-model", failure.task());
            assertTrue(failure.getMessage().startsWith("task 'bad-model' failed: ")
                    && failure.getMessage().contains("2: prune4j: unknown model 'lenet9000': expected one of lenet300"),
                    failure.getMessage());
            assertTrue(heard.isEmpty());
        }
    }

    @Test
    void foreignBytesAreNotATask() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TaskCodec.decodeTask(TaskCodec.encode(new TaskResult("r", Map.of(), 1, "h", 0))));
        assertEquals("not a Prune4J task zip: no task.json among [result.json]", error.getMessage());
    }
}
