package org.prune4j.exec;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One independent training, described so that any JVM with the toolkit can run it: a {@code ./prune4j}
 * command line (such as {@code train --model lenet300 --method gmp ...} or {@code pgap-worker ...}) and the
 * input files it reads, as bytes in the toolkit's own formats (such as a P-GaP {@code ModelState} file).
 *
 * <p>Paths are the executor's business, never the task's: the runner writes each input to a file in the
 * task's own folder and appends {@code --<option> <that file>}, and appends {@code --out <folder>} for the
 * files the command writes, which come back as the task's {@link TaskResult}.
 *
 * @param name    a short label, unique in one batch (a sweep setting's folder name, "round 0 worker 1")
 * @param command the command and its options, without {@code --out} and without the input options
 * @param inputs  option name (without {@code --}) to the bytes of the file that option names
 */
public record TrainingTask(String name, List<String> command, Map<String, byte[]> inputs) {

    private static final Pattern OPTION = Pattern.compile("[a-z][a-z0-9-]*");

    /** Validates and copies. */
    public TrainingTask {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a training task needs a name, got '" + name + "'");
        }
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("training task '" + name + "' has no command: expected e.g. train --model lenet300");
        }
        command = List.copyOf(command);
        if (command.contains("--out")) {
            throw new IllegalArgumentException("training task '" + name + "' names --out: the executor chooses the output folder");
        }
        Map<String, byte[]> copy = new TreeMap<>();
        for (Map.Entry<String, byte[]> input : (inputs == null ? Map.<String, byte[]>of() : inputs).entrySet()) {
            if (!OPTION.matcher(input.getKey()).matches() || input.getKey().equals("out")) {
                throw new IllegalArgumentException("training task '" + name + "': input '" + input.getKey()
                        + "' is not an option name: expected lower-case letters, digits and '-', not 'out'");
            }
            if (command.contains("--" + input.getKey())) {
                throw new IllegalArgumentException("training task '" + name + "' names --" + input.getKey()
                        + " and also gives it as an input file");
            }
            copy.put(input.getKey(), input.getValue().clone());
        }
        inputs = Collections.unmodifiableMap(copy);
    }

    /** A task without input files. */
    public static TrainingTask of(String name, List<String> command) {
        return new TrainingTask(name, command, Map.of());
    }

    /** The input for {@code --option}; a copy. */
    public byte[] input(String option) {
        byte[] bytes = inputs.get(option);
        if (bytes == null) {
            throw new IllegalArgumentException("training task '" + name + "' has no input '" + option + "': it has " + inputs.keySet());
        }
        return bytes.clone();
    }
}
