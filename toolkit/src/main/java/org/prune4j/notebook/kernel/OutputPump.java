package org.prune4j.notebook.kernel;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Does a cell's output I/O (printing, displaying) on a thread of its own, so that the cell's thread never
 * touches a Jupyter socket. Why: jeromq's sockets use NIO channels, and an interrupt (how the kernel stops a
 * cell) that reaches a thread inside a channel operation closes the channel and fails the send with
 * {@code ZMQException: Errno 4}; a training interrupted while it printed an epoch line failed that way. The
 * cell thread hands each write over and waits for it; the interrupt stays pending for the training to see.
 */
final class OutputPump implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread pump = new Thread(task, "prune4j-output");
        pump.setDaemon(true);
        return pump;
    });

    /** Runs the I/O on the pump thread and waits for it, through interrupts, which stay set afterwards. */
    void run(IoAction action) {
        Future<?> done = thread.submit(() -> {
            action.run();
            return null;
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw new UncheckedIOException(io);
                    }
                    throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A stream whose writes and flushes happen on the pump thread. */
    OutputStream handOff(OutputStream target) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                run(() -> target.write(b));
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                byte[] copy = Arrays.copyOfRange(bytes, offset, offset + length);
                run(() -> target.write(copy));
            }

            @Override
            public void flush() {
                run(target::flush);
            }
        };
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** Output I/O that may throw {@link IOException}. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }
}
