package org.prune4j.exec;

/** A training task failed for good; the message names the task and ends with the tail of its output. */
public final class TaskFailedException extends RuntimeException {

    private final String task;

    /** A failure of task {@code task}. */
    public TaskFailedException(String task, String message, Throwable cause) {
        super("task '" + task + "' failed: " + message, cause);
        this.task = task;
    }

    /** The failed task's name. */
    public String task() {
        return task;
    }
}
