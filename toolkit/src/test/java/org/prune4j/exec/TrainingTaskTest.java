package org.prune4j.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

class TrainingTaskTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void badTasksAreRefusedWithTheirName() {
        assertEquals("a training task needs a name, got ' '",
                assertThrows(IllegalArgumentException.class, () -> TrainingTask.of(" ", List.of("train"))).getMessage());
        assertEquals("training task 'a' has no command: expected e.g. train --model lenet300",
                assertThrows(IllegalArgumentException.class, () -> TrainingTask.of("a", List.of())).getMessage());
        assertEquals("training task 'a' names --out: the executor chooses the output folder",
                assertThrows(IllegalArgumentException.class, () -> TrainingTask.of("a", List.of("train", "--out", "x"))).getMessage());
        assertEquals("training task 'a': input 'State In' is not an option name: expected lower-case letters, digits and '-', not 'out'",
                assertThrows(IllegalArgumentException.class,
                        () -> new TrainingTask("a", List.of("x"), Map.of("State In", bytes("s")))).getMessage());
        assertEquals("training task 'a' names --state-in and also gives it as an input file",
                assertThrows(IllegalArgumentException.class,
                        () -> new TrainingTask("a", List.of("x", "--state-in", "f"), Map.of("state-in", bytes("s")))).getMessage());
    }

    @Test
    void argumentsPutInputsAndOutputInTheTasksFolder(@TempDir Path dir) throws Exception {
        TrainingTask task = new TrainingTask("w", List.of("pgap-worker", "--grow", "0"), Map.of("state-in", bytes("start")));
        List<String> args = TaskRunner.arguments(task, dir);

        Path in = dir.resolve("in").resolve("state-in").toAbsolutePath();
        assertEquals(List.of("pgap-worker", "--grow", "0", "--state-in", in.toString(), "--out",
                dir.resolve("out").toAbsolutePath().toString()), args);
        assertEquals("start", Files.readString(in));
    }

    @Test
    void collectReturnsTheOutputFilesByRelativePathButNotTemporaryOnes(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out").resolve("sub"));
        Files.writeString(dir.resolve("out").resolve("summary.json"), "{}");
        Files.writeString(out.resolve("b.csv"), "b");
        Files.writeString(dir.resolve("out").resolve(".history.csv123.tmp"), "torn");

        TaskResult result = TaskRunner.collect(TrainingTask.of("t", List.of("train")), dir, 42, 1.5);
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
        TrainingTask task = new TrainingTask("round 0 worker 1", List.of("pgap-worker", "--lr", "0.05", "--grow", "1,2"),
                Map.of("state-in", new byte[] {0, -1, 127, 3}));
        TrainingTask back = TaskCodec.decodeTask(TaskCodec.encode(task));
        assertEquals(task.name(), back.name());
        assertEquals(task.command(), back.command());
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
        TrainingTask bad = TrainingTask.of("bad-model", List.of("train", "--model", "lenet9000"));
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
