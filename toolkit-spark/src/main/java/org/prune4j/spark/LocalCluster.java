package org.prune4j.spark;

import org.prune4j.exec.TaskRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Spark standalone Master and one Worker on loopback, started as child JVMs from this JVM's own class path
 * (no Spark distribution needed): the Worker offers {@code executors} cores, so an application with
 * {@code spark.executor.cores=1} gets that many executor JVMs. Everything lives in one temporary folder
 * (a {@code SPARK_HOME} with an empty {@code jars/}, the Worker's work and local folders, the logs), which
 * {@link #close} deletes after stopping the executors, the Worker and the Master. A shutdown hook closes a
 * cluster that was not closed.
 */
public final class LocalCluster implements AutoCloseable {

    /** JDK 17 module openings Spark's JVMs need; the Worker adds Spark's own to executors. */
    static final List<String> JAVA_OPTIONS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

    private static final long START_SECONDS = 120;

    private final Path dir;
    private final int executors;
    private final String masterUrl;
    private final Process master;
    private final Process worker;
    private final Thread hook;

    private LocalCluster(Path dir, int executors, int port) throws IOException {
        this.dir = dir;
        this.executors = executors;
        this.masterUrl = "spark://127.0.0.1:" + port;
        Files.createDirectories(dir.resolve("home").resolve("jars"));
        Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(dir.resolve("local"));
        this.hook = new Thread(this::stop, "prune4j-spark-local-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Process started = null;
        Process startedWorker = null;
        try {
            started = start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(port), "--webui-port", "0"));
            awaitLine(started, "master", "ALIVE");
            startedWorker = start("worker", List.of("org.apache.spark.deploy.worker.Worker", masterUrl, "--host", "127.0.0.1",
                    "--cores", Integer.toString(executors), "--webui-port", "0",
                    "--work-dir", dir.resolve("work").toString()));
            awaitLine(startedWorker, "worker", "Successfully registered with master");
        } catch (IOException | RuntimeException e) {
            kill(startedWorker);
            kill(started);
            Runtime.getRuntime().removeShutdownHook(hook);
            TaskRunner.deleteTree(dir);
            throw e;
        }
        this.master = started;
        this.worker = startedWorker;
    }

    /**
     * Starts a Master on {@code port} (0: a free one) and a Worker with {@code executors} cores.
     *
     * @throws IllegalArgumentException for fewer than 1 or more than 64 executors, or a port outside [0, 65535]
     * @throws IllegalStateException    when the Master or the Worker does not come up (with their log's tail)
     */
    public static LocalCluster start(int executors, int port) throws IOException {
        if (executors < 1 || executors > 64) {
            throw new IllegalArgumentException("executors " + executors + " is outside [1, 64]");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside [0, 65535] (0: a free port)");
        }
        return new LocalCluster(Files.createTempDirectory("prune4j-spark-local-"), executors, port == 0 ? freePort() : port);
    }

    /** The master URL to give {@code --executor}. */
    public String masterUrl() {
        return masterUrl;
    }

    /** The Worker's cores: the number of one-core executors an application gets. */
    public int executors() {
        return executors;
    }

    /** The Worker's executor JVMs now running (their command line names CoarseGrainedExecutorBackend). */
    public List<ProcessHandle> executorProcesses() {
        return worker.descendants()
                .filter(p -> commandLine(p).contains("org.apache.spark.executor.CoarseGrainedExecutorBackend"))
                .toList();
    }

    /** The executor JVM with this Spark executor id, if it runs. */
    public Optional<ProcessHandle> executorProcess(String executorId) {
        return executorProcesses().stream().filter(p -> {
            List<String> args = commandLine(p);
            int flag = args.indexOf("--executor-id");
            return flag >= 0 && flag + 1 < args.size() && args.get(flag + 1).equals(executorId);
        }).findFirst();
    }

    /**
     * A process's whole command line. Read from /proc on Linux: {@code ProcessHandle.Info} gives no arguments
     * for command lines as long as an executor's (its class path alone is tens of kilobytes).
     */
    static List<String> commandLine(ProcessHandle process) {
        Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                return List.of(Files.readString(proc, StandardCharsets.ISO_8859_1).split("\0"));
            }
        } catch (IOException gone) {
            return List.of();
        }
        return process.info().arguments().map(List::of).orElse(List.of());
    }

    /** Stops the executors, the Worker and the Master, and deletes the folder. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run: nothing to remove.
        }
    }

    private synchronized void stop() {
        if (worker != null) {
            worker.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        kill(worker);
        kill(master);
        TaskRunner.deleteTree(dir);
    }

    private static void kill(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private Process start(String name, List<String> mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(JAVA_OPTIONS);
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        command.add("-cp");
        command.add(SparkExecutor.absoluteClassPath());
        command.addAll(mainAndArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = builder.environment();
        // Spark's launcher code needs a SPARK_HOME with a jars/ folder (it may be empty: executors get the
        // application's class path) and the Scala version when it cannot see a distribution.
        env.put("SPARK_HOME", dir.resolve("home").toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_DIRS", dir.resolve("local").toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }

    private void awaitLine(Process process, String name, String line) throws IOException {
        Path log = dir.resolve(name + ".log");
        long deadline = System.nanoTime() + START_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (text.contains(line)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the Spark " + name + " exited with " + process.exitValue() + ":\n" + tail(text));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the Spark " + name, e);
            }
        }
        throw new IllegalStateException("the Spark " + name + " did not log '" + line + "' within " + START_SECONDS + " s:\n"
                + tail(Files.readString(log, StandardCharsets.UTF_8)));
    }

    private static String tail(String text) {
        return text.length() <= 3000 ? text : "..." + text.substring(text.length() - 3000);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
