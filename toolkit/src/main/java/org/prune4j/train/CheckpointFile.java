package org.prune4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonObject;

import org.prune4j.io.TensorFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The checkpoint file: a {@link TensorFile} of kind {@value #KIND} whose header holds the run fingerprint,
 * position, random states and history, and whose tensors are the parameters, optimizer states, masks and method
 * states. Written atomically, so a crash leaves either the previous checkpoint or the new one, never half of one;
 * read whole and checked before anything is decoded, every problem answered as a {@link CheckpointException}.
 */
final class CheckpointFile {

    /** The checkpoint's file name in a run folder. */
    static final String NAME = SparseTraining.CHECKPOINT_FILE;
    static final int VERSION = TensorFile.VERSION;
    /** The {@link TensorFile} kind of a checkpoint. */
    static final String KIND = "checkpoint";

    private CheckpointFile() {}

    /** Writes {@code header} (to which the tensor names are added) and the tensors, atomically. */
    static Path write(Path file, JsonObject header, Map<String, NDArray> tensors) {
        return TensorFile.write(file, KIND, header, tensors);
    }

    /**
     * Reads and checks a checkpoint; its tensors are created in {@code manager} (the caller closes it).
     *
     * @throws CheckpointException naming the file if it is missing, truncated, corrupted or of another version
     */
    static TensorFile.Contents read(Path file, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("no checkpoint at " + file + ": expected a run folder written with checkpoints"
                    + " (./prune4j train ... --out DIR writes DIR/" + NAME + ")");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CheckpointException("cannot read the checkpoint " + file + ": " + e.getMessage(), e);
        }
        try {
            return TensorFile.read(bytes, "checkpoint " + file, KIND, manager);
        } catch (TensorFile.BadFileException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
    }
}
