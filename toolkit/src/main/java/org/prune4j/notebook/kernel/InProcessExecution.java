package org.prune4j.notebook.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs JShell snippets in the kernel's own JVM, all on one cell thread, and keeps each snippet's value as an
 * object. In process, so that a cell shares the kernel's classes (the display API, the toolkit) and its
 * results are real objects, not strings. One thread for all cells, as a program has, because libraries keep
 * state per thread (PyTorch's grad mode: DJL turns it off in the thread that starts the engine); and not the
 * kernel's channel threads, so that an interrupt reaches the cell alone.
 *
 * <p>An interrupt first sets the cell thread's interrupt flag: Prune4J's training checks it before every step
 * and stops cleanly, closing its model and data, so the next cell trains normally. Code that ignores the flag
 * (a busy loop) is stopped with {@code Thread.stop} after {@link #STOP_GRACE_SECONDS}, on JDKs that still
 * have it (before 20); the next cell then runs on a new cell thread.
 */
final class InProcessExecution extends DirectExecutionControl implements ExecutionControlProvider {

    /** How long an interrupted cell may take to stop by itself before it is stopped by force. */
    static final long STOP_GRACE_SECONDS = 5;

    private final AtomicLong threads = new AtomicLong();
    private final AtomicLong snippets = new AtomicLong();
    // HashMap, not ConcurrentHashMap: a snippet's value may be null.
    private final Map<String, Object> values = new HashMap<>();
    private volatile ExecutorService cellThread = newCellThread();
    private volatile Running running;

    /** The snippet on the cell thread now: the thread to interrupt and the result to wait for. */
    private record Running(Thread thread, CompletableFuture<Object> result) {
    }

    private ExecutorService newCellThread() {
        return Executors.newSingleThreadExecutor(task -> new Thread(task, "prune4j-cell-" + threads.incrementAndGet()));
    }

    @Override
    public String name() {
        return "prune4j-in-process";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return this;
    }

    /**
     * Runs the snippet's method on the cell thread and returns a key for its value ({@link #take(String)});
     * JShell passes the key on as the snippet's value string.
     */
    @Override
    protected String invoke(Method doit) throws Exception {
        CompletableFuture<Object> result = new CompletableFuture<>();
        cellThread.execute(() -> {
            running = new Running(Thread.currentThread(), result);
            try {
                result.complete(doit.invoke(null));
            } catch (InvocationTargetException e) {
                result.completeExceptionally(e.getCause());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                running = null;
                // An interrupt that came as the snippet ended must not reach the next one.
                Thread.interrupted();
            }
        });
        Object value;
        try {
            value = result.get();
        } catch (ExecutionException e) {
            return throwConvertedInvocationException(e.getCause());
        }
        String key = "prune4j-value-" + snippets.incrementAndGet();
        synchronized (values) {
            values.put(key, value);
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

    /**
     * Interrupts the running snippet; if it has not ended after the grace period, stops its thread by force,
     * fails the snippet, and gives later cells a new cell thread.
     */
    void interruptRunningCell() {
        Running snippet = running;
        if (snippet == null) {
            return;
        }
        snippet.thread().interrupt();
        Thread enforcer = new Thread(() -> {
            try {
                snippet.result().get(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                if (Runtime.version().feature() < 20) {
                    ExecutorService stopped = cellThread;
                    cellThread = newCellThread();
                    forceStop(snippet.thread());
                    snippet.result().completeExceptionally(new ThreadDeath());
                    stopped.shutdown();
                }
            } catch (InterruptedException | ExecutionException | java.util.concurrent.CancellationException e) {
                // The snippet ended by itself (with or without a failure): nothing to enforce.
            }
        }, "prune4j-cell-stopper");
        enforcer.setDaemon(true);
        enforcer.start();
    }

    /** Ends the cell thread (the kernel is shutting down). */
    @Override
    public void close() {
        cellThread.shutdownNow();
        super.close();
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void forceStop(Thread cell) {
        cell.stop();
    }
}
