package org.prune4j.train;

/**
 * A checkpoint cannot be used: missing, truncated, corrupted (CRC32), of another format version, or
 * from another run (model, data, method or settings). The message is one line naming the file and what
 * differs; nothing has been overwritten.
 */
public final class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CheckpointException(String message) {
        super(message);
    }

    CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
