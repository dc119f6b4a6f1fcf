package org.prune4j.data;

/**
 * A dataset file is missing, truncated or does not match its published checksum.
 *
 * <p>The message is one line that names the file and the command that fixes it, for example
 * {@code MNIST file datasets/mnist/train-images-idx3-ubyte is missing: run ./datasets/fetch mnist},
 * because the person reading it is usually in a notebook and should not have to read a stack trace.
 * It is unchecked (an {@link IllegalStateException}): the program cannot go on without the data,
 * and notebook cells should not need try/catch boilerplate.
 */
public class DatasetException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with its one-line message. */
    public DatasetException(String message) {
        super(message);
    }

    /** Creates the exception with its one-line message and the I/O error behind it. */
    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
