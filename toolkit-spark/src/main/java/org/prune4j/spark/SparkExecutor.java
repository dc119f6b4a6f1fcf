package org.prune4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.prune4j.data.Datasets;
import org.prune4j.exec.TaskCodec;
import org.prune4j.exec.TaskFailedException;
import org.prune4j.exec.TaskPool;
import org.prune4j.exec.TaskResult;
import org.prune4j.exec.TaskRunner;
import org.prune4j.exec.TrainingExecutor;
import org.prune4j.exec.TrainingTask;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code --executor spark://HOST:PORT}: each {@link TrainingTask} is one Spark task (a one-partition job, so
 * tasks start as executors free up and each finished one is handed over at once), run by
 * {@link TaskRunner#runHere} in an executor JVM that trains one task at a time ({@code spark.executor.cores=1},
 * {@code spark.task.cpus=1}; DJL allows one training per process). Tasks and results cross as bytes
 * ({@link TaskCodec}: zips of the toolkit's own files), results are written by the driver, so a task that
 * Spark retried ({@code spark.task.maxFailures}, 4 by default) after losing an executor gives the same files,
 * and a lost worker never leaves anything half-done behind.
 *
 * <p>Defaults, each kept when already set as a {@code -Dspark.*} system property: executors get this JVM's
 * class path ({@code spark.executor.extraClassPath}: the same built checkout on every node, or set
 * {@code spark.jars}) and its dataset root and DJL settings; {@code spark.local.dir} is a temporary folder
 * deleted on {@link #close}; the web UI is off; on a loopback master the driver binds to 127.0.0.1.
 *
 * <p>Each executor trains with {@code spark.executor.cores} PyTorch intra-op threads (1 by default), as Spark does for
 * OpenMP, made explicit through {@code ai.djl.pytorch.num_threads} and {@code OMP_NUM_THREADS}: a node's cores are
 * filled by one-core executors, not by threads, because a JVM trains one model at a time. A training's
 * floating-point results depend on its thread count (reductions split by thread), and only on that: a retried
 * task gives the same bytes, and a sweep on Spark is bit-identical to one in a JVM with the same count
 * ({@code -Dai.djl.pytorch.num_threads=N} on the driver sets N for the executors too).
 */
public final class SparkExecutor implements TrainingExecutor {

    private final JavaSparkContext spark;
    private final TaskEvents events;
    private final Path localDir;
    private final String master;
    private boolean closed;

    private SparkExecutor(SparkConf conf, Path localDir, Consumer<String> log) {
        this.master = conf.get("spark.master");
        this.localDir = localDir;
        this.events = new TaskEvents(log, conf.getInt("spark.task.maxFailures", 4));
        this.spark = new JavaSparkContext(conf);
        spark.sc().addSparkListener(events);
    }

    /** Connects to a standalone master, with this toolkit's defaults (see the class comment). */
    public static SparkExecutor open(String masterUrl, Consumer<String> log) {
        return open(defaults(masterUrl), log);
    }

    /** Connects with a configuration the caller built, usually from {@link #defaults}. */
    public static SparkExecutor open(SparkConf conf, Consumer<String> log) {
        Path localDir;
        try {
            localDir = Files.createTempDirectory("prune4j-spark-driver-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        conf.setIfMissing("spark.local.dir", localDir.toString());
        try {
            return new SparkExecutor(conf, localDir, log);
        } catch (RuntimeException e) {
            TaskRunner.deleteTree(localDir);
            throw e;
        }
    }

    /** The toolkit's Spark settings for a master URL, over any {@code -Dspark.*} system properties. */
    public static SparkConf defaults(String masterUrl) {
        SparkConf conf = new SparkConf()
                .setMaster(masterUrl)
                .setIfMissing("spark.app.name", "prune4j")
                // One training at a time per executor JVM: DJL's GradientCollector is process-wide.
                .setIfMissing("spark.executor.cores", "1")
                .setIfMissing("spark.task.cpus", "1")
                .setIfMissing("spark.task.maxFailures", "4")
                .setIfMissing("spark.executor.memory", "1g")
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.executor.extraClassPath", absoluteClassPath());
        String threads = trainingThreads(conf);
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", threads)
                // Sleeping, not spinning, OpenMP threads: a node's executors share its cores (docs/benchmarks.md,
                // "Threads under load").
                .setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE")
                .setIfMissing("spark.executor.extraJavaOptions", executorJavaOptions(threads));
        if (loopback(masterUrl)) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        return conf;
    }

    @Override
    public List<TaskResult> run(List<TrainingTask> tasks, Consumer<TaskResult> onResult) {
        if (closed) {
            throw new IllegalStateException("this Spark executor is closed");
        }
        // One waiting driver thread per task: Spark, not this pool, decides which task runs when and where.
        return TaskPool.run(tasks, Math.max(1, Math.min(tasks.size(), 512)), this::runOne, onResult);
    }

    private TaskResult runOne(TrainingTask task) {
        spark.setLocalProperty(TaskEvents.DESCRIPTION, task.name());
        try {
            List<byte[]> result = spark.parallelize(List.of(TaskCodec.encode(task)), 1).map(new RunTask()).collect();
            return TaskCodec.decodeResult(result.get(0));
        } catch (Exception e) {
            // Spark's job failure (a SparkException, thrown unchecked through the Java API) says why the last attempt failed.
            throw new TaskFailedException(task.name(), "on Spark, after its retries: " + firstLines(e.getMessage()), e);
        }
    }

    @Override
    public String describe() {
        return "on Spark at " + master + ", one training at a time per executor JVM";
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                spark.stop();
            } finally {
                TaskRunner.deleteTree(localDir);
                // Spark's own shutdown hooks may create the (empty) folder again at exit; remove it after them.
                localDir.toFile().deleteOnExit();
            }
        }
    }

    /** Runs one encoded task in an executor JVM, in a folder under the executor's working folder. */
    static final class RunTask implements Function<byte[], byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] call(byte[] encoded) throws IOException {
            TrainingTask task = TaskCodec.decodeTask(encoded);
            Path dir = Files.createTempDirectory(Path.of("").toAbsolutePath(), "prune4j-task-");
            return TaskCodec.encode(TaskRunner.runHere(task, dir));
        }
    }

    /** This JVM's class path with absolute entries: executors start in another folder. */
    static String absoluteClassPath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The dataset root, the DJL and logging settings of this JVM and the training thread count, for the executors. */
    static String executorJavaOptions(String threads) {
        StringBuilder options = new StringBuilder();
        try {
            options.append("-D").append(Datasets.ROOT_PROPERTY).append('=').append(Datasets.root().toAbsolutePath());
        } catch (RuntimeException noDatasets) {
            // A cluster may give the root through PRUNE4J_DATASETS on every node instead.
        }
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith("ai.djl.") || k.startsWith("org.slf4j.simpleLogger."))
                .filter(k -> !k.equals(THREADS))
                .forEach(k -> options.append(" -D").append(k).append('=').append(System.getProperty(k)));
        options.append(" -D").append(THREADS).append('=').append(threads);
        return options.toString().strip();
    }

    /** DJL's system property for PyTorch's intra-op thread count, read when its engine starts. */
    static final String THREADS = "ai.djl.pytorch.num_threads";

    /** The executors' training thread count: -Dai.djl.pytorch.num_threads if given, else spark.executor.cores. */
    static String trainingThreads(SparkConf conf) {
        return System.getProperty(THREADS, conf.get("spark.executor.cores", "1"));
    }

    static boolean loopback(String masterUrl) {
        String host = URI.create(masterUrl.replaceFirst("^spark://", "http://")).getHost();
        return host != null && (host.startsWith("127.") || host.toLowerCase(Locale.ROOT).equals("localhost"));
    }

    private static String firstLines(String text) {
        if (text == null) {
            return "";
        }
        return text.lines().limit(12).collect(Collectors.joining("\n"));
    }
}
