package org.prune4j.notebook.kernel;

import java.util.List;

/**
 * A cell that failed: it did not compile, threw, or was interrupted. Carries the user's exception class name
 * and stack, which live in JShell's records rather than in a Java exception of that class.
 */
public final class CellException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String kind;

    CellException(String kind, String message, List<StackTraceElement> frames) {
        super(kind + ": " + (message == null ? "" : message), null, false, true);
        this.kind = kind;
        setStackTrace(frames.toArray(StackTraceElement[]::new));
    }

    /** What failed: the thrown exception's class name, or CompilationError, IncompleteCode, Interrupted. */
    public String kind() {
        return kind;
    }

    /** The message alone, which starts with the kind, as a Java stack trace's first line reads. */
    @Override
    public String toString() {
        return getMessage();
    }
}
