package org.prune4j.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code --executor processes}: each task in a JVM of its own on this machine, up to {@code parallel} at a
 * time, with this JVM's java, class path and {@code prune4j.*}, {@code ai.djl.*} and logging system
 * properties. Inputs and outputs are files in a temporary folder per task, deleted afterwards.
 */
public final class ProcessExecutor implements TrainingExecutor {

    private final int parallel;

    /** At most {@code parallel} JVMs at once. */
    public ProcessExecutor(int parallel) {
        if (parallel < 1) {
            throw new IllegalArgumentException("processes " + parallel + " is not at least 1");
        }
        this.parallel = parallel;
    }

    /** One JVM per core of this machine at a time. */
    public static ProcessExecutor perCore() {
        return new ProcessExecutor(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public List<TaskResult> run(List<TrainingTask> tasks, Consumer<TaskResult> onResult) {
        return TaskPool.run(tasks, parallel, ProcessExecutor::runOne, onResult);
    }

    private static TaskResult runOne(TrainingTask task) {
        Path dir = null;
        Process process = null;
        try {
            dir = Files.createTempDirectory("prune4j-task-");
            long started = System.nanoTime();
            Path log = dir.resolve("log.txt");
            Path errors = dir.resolve("errors.txt");
            process = new ProcessBuilder(command(TaskRunner.arguments(task, dir)))
                    .redirectOutput(log.toFile()).redirectError(errors.toFile()).start();
            int status = process.waitFor();
            if (status != 0) {
                // The command's one-line error comes first on its error stream; logging and DJL's notes may precede it.
                String errorText = Files.readString(errors, StandardCharsets.UTF_8);
                String logText = Files.readString(log, StandardCharsets.UTF_8);
                String error = errorText.lines().filter(line -> line.startsWith("prune4j: ")).findFirst()
                        .orElseGet(() -> TaskRunner.tail(logText + errorText));
                throw new TaskFailedException(task.name(), "its JVM exited with " + status + ": " + error, null);
            }
            return TaskRunner.collect(task, dir, process.pid(), (System.nanoTime() - started) / 1e9);
        } catch (IOException e) {
            throw new TaskFailedException(task.name(), e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailedException(task.name(), "interrupted", e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            TaskRunner.deleteTree(dir);
        }
    }

    /**
     * java [heap and GC options] -D... -cp CLASSPATH MAIN ARGS ({@link TaskCommand#mainClass}), as this JVM was
     * started.
     */
    static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmOptions.memory());
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith("prune4j.") || k.startsWith("ai.djl.") || k.startsWith("org.slf4j."))
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TaskRunner.command().mainClass());
        command.addAll(args);
        return command;
    }

    @Override
    public String describe() {
        return "in separate JVMs on this machine, up to " + parallel + " at a time";
    }
}
