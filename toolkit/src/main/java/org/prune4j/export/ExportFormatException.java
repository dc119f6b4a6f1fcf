package org.prune4j.export;

import java.io.IOException;

/**
 * A compressed model file that cannot be read: not a Prune4J file, another format version, truncated,
 * corrupted (CRC32 mismatch), or not matching the model it should load into. The message is one line
 * and names the file and what is wrong. When it is thrown, no parameter of any model has been changed.
 */
public final class ExportFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** An error with a one-line message. */
    public ExportFormatException(String message) {
        super(message);
    }
}
