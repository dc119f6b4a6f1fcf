package org.rapaio.jupyter.kernel.channels;

/**
 * Replaces rapaio-jupyter-kernel's channel loop thread (same name, constructor and methods) to mend a
 * start-up race that makes about one kernel start in five hang.
 *
 * <p>The kernel's own class sets its {@code running} flag after {@code Thread.start()} returns. When the
 * new thread gets the CPU first, as it often does on two cores, it reads {@code false}, leaves its loop
 * at once and the channel never reads a message: the shell or control socket is bound but nobody polls
 * it, so Jupyter's {@code kernel_info_request} goes unanswered until the client's start-up timeout. Here
 * the thread is running from construction, so it cannot miss its own start.
 *
 * <p>{@code notebooks/install-kernel} compiles this file against the kernel jar and puts the result
 * ahead of the jar on the kernel's class path. Nothing else of the kernel is replaced.
 */
public final class LoopThread extends Thread {

    private volatile boolean running = true;
    private final long sleepMillis;
    private final Runnable loopBody;

    /** A thread named {@code name} that runs {@code loopBody}, then sleeps {@code sleepMillis}, until shut down. */
    public LoopThread(String name, long sleepMillis, Runnable loopBody) {
        super(name);
        this.sleepMillis = sleepMillis;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            loopBody.run();
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    /** Ends the loop after the current pass; the channel closes its socket itself. */
    public void shutdown() {
        running = false;
    }
}
