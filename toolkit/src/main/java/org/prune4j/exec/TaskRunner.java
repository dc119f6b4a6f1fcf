package org.prune4j.exec;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.jni.JniUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs one {@link TrainingTask} in a folder of its own: its inputs go to {@code in/}, the command writes into
 * {@code out/}, and {@code out/}'s files come back as a {@link TaskResult}. Every executor uses it, in this JVM
 * ({@link #runHere}) or as the recipe for another process ({@link #arguments}, then {@link #collect}).
 */
public final class TaskRunner {

    /** DJL allows one open GradientCollector per process: trainings in one JVM take turns. */
    private static final Object ONE_TRAINING_PER_JVM = new Object();

    private static final int LOG_TAIL = 4000;

    /** The file in a task's {@code in/} folder that holds its recipe. */
    static final String RECIPE_FILE = "recipe.json";

    /** The command line, looked up on first use (a holder, so a missing service fails the call, not the class). */
    private static final class Installed {
        static final TaskCommand COMMAND = TaskCommand.installed();
    }

    /** The command line that tasks run. */
    static TaskCommand command() {
        return Installed.COMMAND;
    }

    private TaskRunner() {}

    /**
     * Writes the task's recipe and inputs into {@code dir/in/} and returns the full {@code ./prune4j} argument list:
     * the command, {@code --recipe <recipe file>}, the run settings, {@code --<option> <input file>} per input and
     * {@code --out dir/out}.
     */
    public static List<String> arguments(TrainingTask task, Path dir) throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path recipe = in.resolve(RECIPE_FILE);
        Files.writeString(recipe, task.recipe().toJson() + "\n", StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(task.commandLine(recipe.toAbsolutePath().toString()));
        for (Map.Entry<String, byte[]> input : task.inputs().entrySet()) {
            Path file = in.resolve(input.getKey());
            Files.write(file, input.getValue());
            args.add("--" + input.getKey());
            args.add(file.toAbsolutePath().toString());
        }
        args.add("--out");
        args.add(dir.resolve("out").toAbsolutePath().toString());
        return args;
    }

    /** The files the task wrote into {@code dir/out/}, as its result. */
    public static TaskResult collect(TrainingTask task, Path dir, long pid, double seconds) throws IOException {
        Path out = dir.resolve("out");
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (Files.isDirectory(out)) {
            try (Stream<Path> walk = Files.walk(out)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String relative = out.relativize(file).toString().replace('\\', '/');
                    // AtomicFiles' temporary files are leftovers of an interrupted write, never results.
                    if (!file.getFileName().toString().endsWith(".tmp")) {
                        files.put(relative, Files.readAllBytes(file));
                    }
                }
            }
        }
        return new TaskResult(task.name(), files, pid, hostName(), seconds);
    }

    /**
     * Runs the task in this JVM (waiting for any other training here to finish first) in {@code dir}, which
     * it then deletes; the command's own output is kept only to explain a failure.
     *
     * @throws TaskFailedException when the command exits with a non-zero status or throws
     */
    public static TaskResult runHere(TrainingTask task, Path dir) {
        long started = System.nanoTime();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        synchronized (ONE_TRAINING_PER_JVM) {
            try (PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
                 PrintStream printErrors = new PrintStream(errors, true, StandardCharsets.UTF_8)) {
                int status;
                try {
                    status = command().run(arguments(task, dir).toArray(String[]::new), print, printErrors);
                } catch (RuntimeException e) {
                    throw new TaskFailedException(task.name(), e + "\n" + tail(log), e);
                }
                if (status != 0) {
                    // The command's one-line error comes first on its error stream (a usage text may follow).
                    String error = errors.toString(StandardCharsets.UTF_8).lines().limit(3)
                            .collect(java.util.stream.Collectors.joining("\n"));
                    throw new TaskFailedException(task.name(), "exit status " + status + ": "
                            + (error.isBlank() ? tail(log) : error), null);
                }
                return collect(task, dir, ProcessHandle.current().pid(), (System.nanoTime() - started) / 1e9);
            } catch (IOException e) {
                throw new TaskFailedException(task.name(), e.toString(), e);
            } finally {
                deleteTree(dir);
            }
        }
    }

    /**
     * The number of intra-op threads PyTorch uses for a training in this JVM (starting DJL's engine if needed).
     * A training's floating-point results depend on it (reductions split differently), so an executor that
     * wants results bit-identical to this JVM's gives its workers the same count.
     */
    public static int intraOpThreads() {
        return Engine.getInstance() instanceof PtEngine ? JniUtils.getNumThreads() : Runtime.getRuntime().availableProcessors();
    }

    /** The last few thousand characters of a log. */
    static String tail(ByteArrayOutputStream log) {
        return tail(log.toString(StandardCharsets.UTF_8));
    }

    /** The last few thousand characters of a text. */
    static String tail(String log) {
        return log.length() <= LOG_TAIL ? log : "..." + log.substring(log.length() - LOG_TAIL);
    }

    private static String host;

    /** This machine's host name (resolved once; "localhost" if it cannot be). */
    static synchronized String hostName() {
        if (host == null) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
        }
        return host;
    }

    /** Deletes a folder and everything in it; a leftover temporary file is harmless, so errors are ignored. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort: the folder is under a temporary directory.
        }
    }
}
