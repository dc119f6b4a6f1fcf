package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.train.SparseTraining;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real {@code train} in a child JVM, killed with SIGKILL after its first checkpoint, then resumed with
 * {@code --resume}, ends exactly where an uninterrupted run with the same seed ends: same summary, same
 * per-layer counts, same history (but wall seconds), bit-identical final weights.
 */
class CrashSafetyTest {

    // SET: random ERK start and random regrowth every 10 steps, so the run's random state must be resumed too.
    private static final List<String> OPTIONS = List.of("--model", "lenet300", "--dataset", "mnist", "--method", "set",
            "--sparsity", "0.9", "--interval", "10", "--epochs", "3", "--train-size", "6000", "--seed", "7");

    private static int runInProcess(List<String> args, ByteArrayOutputStream err) {
        List<String> all = new ArrayList<>(List.of("train"));
        all.addAll(args);
        return Main.run(all.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Process startChild(List<String> args, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith("prune4j.") || k.startsWith("ai.djl."))
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.prune4j.cli.Main");
        command.add("train");
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    @Tag("slow")
    void aRunKilledAfterACheckpointAndResumedEqualsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        Path reference = dir.resolve("reference");
        List<String> referenceArgs = new ArrayList<>(OPTIONS);
        referenceArgs.addAll(List.of("--checkpoint-every", "off", "--out", reference.toString()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, runInProcess(referenceArgs, err), err.toString(StandardCharsets.UTF_8));

        Path run = dir.resolve("run");
        List<String> runArgs = new ArrayList<>(OPTIONS);
        runArgs.addAll(List.of("--checkpoint-every", "20s", "--out", run.toString()));
        Path log = dir.resolve("child.log");
        Process child = startChild(runArgs, log);
        Path checkpoint = run.resolve(SparseTraining.CHECKPOINT_FILE);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(checkpoint) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(child.isAlive(), "the child ended before its first checkpoint could be seen:\n" + Files.readString(log));
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
        assertTrue(child.waitFor(1, TimeUnit.MINUTES));
        assertEquals(137, child.exitValue(), "killed by SIGKILL");

        JsonObject partial = JsonParser.parseString(Files.readString(run.resolve("summary.json"))).getAsJsonObject();
        assertTrue(partial.get("partial").getAsBoolean(), "an unfinished run's summary says partial: " + partial);
        assertFalse(Files.exists(run.resolve("model.params")), "the final model is written only at the end");

        err.reset();
        List<String> resumeArgs = new ArrayList<>(OPTIONS);
        resumeArgs.addAll(List.of("--resume", run.toString()));
        assertEquals(0, runInProcess(resumeArgs, err), err.toString(StandardCharsets.UTF_8));

        JsonObject expected = JsonParser.parseString(Files.readString(reference.resolve("summary.json"))).getAsJsonObject();
        JsonObject actual = JsonParser.parseString(Files.readString(run.resolve("summary.json"))).getAsJsonObject();
        assertFalse(actual.get("partial").getAsBoolean());
        for (String field : new String[] {"testAccuracy", "measuredSparsity", "epochs", "trainingFlops", "inferenceFlopsSparse"}) {
            assertEquals(expected.get(field), actual.get(field), field);
        }
        assertEquals(Files.readString(reference.resolve("layers.csv")), Files.readString(run.resolve("layers.csv")));
        assertEquals(withoutSeconds(reference.resolve("history.csv")), withoutSeconds(run.resolve("history.csv")));
        assertArrayEquals(Files.readAllBytes(reference.resolve("model.params")), Files.readAllBytes(run.resolve("model.params")),
                "final weights differ");
        try (Stream<Path> files = Files.list(run)) {
            List<String> leftovers = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertEquals(List.of(), leftovers, "temporary files of the killed run are cleaned up on resume");
        }
    }

    /** history.csv without its last column (wall seconds per epoch). */
    private static String withoutSeconds(Path history) throws Exception {
        return Files.readAllLines(history).stream().map(line -> line.substring(0, line.lastIndexOf(',')))
                .collect(Collectors.joining("\n"));
    }
}
