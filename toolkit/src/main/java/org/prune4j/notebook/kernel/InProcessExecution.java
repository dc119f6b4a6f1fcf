package org.prune4j.notebook.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs JShell snippets in the kernel's own JVM, each on a fresh thread, and keeps each snippet's value as an
 * object. In process, so that a cell shares the kernel's classes (the display API, the toolkit) and its
 * results are real objects, not strings. A thread per cell so that an interrupt can reach the cell without
 * reaching the kernel's channel threads.
 *
 * <p>An interrupt first sets the cell thread's interrupt flag: Prune4J's training checks it before every step
 * and stops cleanly, closing its model and data, so the next cell trains normally. Code that ignores the flag
 * (a busy loop) is stopped with {@code Thread.stop} after {@link #STOP_GRACE_SECONDS}, on JDKs that still
 * have it (before 20).
 */
final class InProcessExecution extends DirectExecutionControl implements ExecutionControlProvider {

    /** How long an interrupted cell may take to stop by itself before it is stopped by force. */
    static final long STOP_GRACE_SECONDS = 5;

    private final AtomicLong cells = new AtomicLong();
    // HashMap, not ConcurrentHashMap: a snippet's value may be null.
    private final Map<String, Object> values = new HashMap<>();
    private volatile Thread running;

    @Override
    public String name() {
        return "prune4j-in-process";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return this;
    }

    /**
     * Runs the snippet's method on a cell thread and returns a key for its value ({@link #take(String)});
     * JShell passes the key on as the snippet's value string.
     */
    @Override
    protected String invoke(Method doit) throws Exception {
        AtomicReference<Object> value = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try {
                value.set(doit.invoke(null));
            } catch (InvocationTargetException e) {
                failure.set(e.getCause());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "prune4j-cell-" + cells.incrementAndGet());
        running = cell;
        try {
            cell.start();
            cell.join();
        } finally {
            running = null;
        }
        if (failure.get() != null) {
            return throwConvertedInvocationException(failure.get());
        }
        String key = "prune4j-value-" + cell.getName();
        synchronized (values) {
            values.put(key, value.get());
        }
        return key;
    }

    /**
     * The value that {@link #invoke(Method)} kept under this key, or null when the key is not one (JShell
     * reports an empty value string for statements).
     */
    Object take(String key) {
        synchronized (values) {
            return values.remove(key);
        }
    }

    /** Drops every kept value (called after each snippet, so that no value outlives its cell). */
    void forgetValues() {
        synchronized (values) {
            values.clear();
        }
    }

    /** JShell's stop: interrupts the running cell, if any. */
    @Override
    public void stop() {
        interruptRunningCell();
    }

    /** Interrupts the running cell; stops it by force if it has not ended after the grace period. */
    void interruptRunningCell() {
        Thread cell = running;
        if (cell == null) {
            return;
        }
        cell.interrupt();
        Thread enforcer = new Thread(() -> {
            try {
                cell.join(TimeUnit.SECONDS.toMillis(STOP_GRACE_SECONDS));
            } catch (InterruptedException e) {
                return;
            }
            if (cell.isAlive() && Runtime.version().feature() < 20) {
                forceStop(cell);
            }
        }, "prune4j-cell-stopper");
        enforcer.setDaemon(true);
        enforcer.start();
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void forceStop(Thread cell) {
        cell.stop();
    }
}
