package org.prune4j.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.jni.JniUtils;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.exec.JvmOptions;
import org.prune4j.exec.TaskRunner;
import org.prune4j.kernel.CalibrationCache;
import org.prune4j.kernel.TrainingCostModel;
import org.prune4j.method.Dense;
import org.prune4j.method.Gmp;
import org.prune4j.method.SparsityMethod;
import org.prune4j.method.StaticMask;
import org.prune4j.optim.Optimizers;
import org.prune4j.train.MemoryProbe;
import org.prune4j.train.Progress;
import org.prune4j.train.SparseKernel;
import org.prune4j.train.SparseTraining;
import org.prune4j.train.TrainingSession;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ./prune4j bench --suite vs-pytorch}: Prune4J against a plain PyTorch loop on the same machine, for
 * LeNet-300-100 on MNIST (batch 128, SGD lr 0.1, momentum 0.9, weight decay 5e-4) at one thread each.
 * <ul>
 *   <li>steps: the dense step and the masked step (90% per layer, masks re-applied after each update), both
 *       sides interleaved in chunks of 10 steps by {@link SideBySide}; Prune4J's as a training takes them by default
 *       (the training kernel, {@code --sparse-kernel auto}) and through DJL's ops ({@code off}). PyTorch runs in a
 *       worker process ({@code vs_pytorch.py}) that times its own chunks, so the pipe's round trip is left out;</li>
 *   <li>whole runs: {@code ./prune4j train} and the script's own training loop of the same epochs as child
 *       processes, alternated, with their training seconds and peak resident memory (VmHWM, read from /proc
 *       while each runs).</li>
 * </ul>
 * Needs a {@code python3} that imports torch (Debian: {@code python3-torch}, with {@code libopenblas0-pthread}
 * for a fair BLAS); without one the suite says so and is skipped. No test depends on Python.
 */
public final class VsPyTorchBenchmark {

    /** Blocks per variant, as the step suites. */
    static final int BLOCKS = 10;
    /** Steps one side runs before the other takes its turn. */
    static final int CHUNK_STEPS = 10;
    /** Untimed steps per variant first. */
    static final int WARMUP_STEPS = 300;
    /** The batch of the docs' MNIST recipe. */
    static final int BATCH = 128;
    /** Sparsity of the masked step. */
    static final double SPARSITY = 0.9;
    /** Sparse-from-the-start runs: static ERK at this sparsity through the sparse training kernel. */
    static final double SPARSE_TRAINING = 0.98;
    /** Epochs of the LeNet-300-100 sparse run against PyTorch's dense one (docs/results.md's recipe length). */
    static final int SPARSE_RUN_EPOCHS = 20;
    /**
     * Default epochs of the 784-2048-2048-10 runs: a dense PyTorch epoch of it takes about 70 s at one thread
     * here, so 2 epochs keep the suite near a quarter of an hour; {@code --wide-epochs 20} runs issue 21's length
     * (one pair of runs instead of two, about half an hour).
     */
    public static final int WIDE_RUN_EPOCHS = 2;
    /** Debian's multithreaded OpenBLAS: python3-torch 1.13 otherwise runs on the reference BLAS, 15x slower. */
    static final Path OPENBLAS = Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread");

    private VsPyTorchBenchmark() {}

    /**
     * The first of {@code $PRUNE4J_PYTHON}, {@code /usr/bin/python3} and {@code python3} that imports torch.
     *
     * @return its command, or empty when none does
     */
    static Optional<String> pythonWithTorch() {
        List<String> candidates = new ArrayList<>();
        String chosen = System.getenv("PRUNE4J_PYTHON");
        if (chosen != null && !chosen.isBlank()) {
            candidates.add(chosen);
        }
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String python : candidates) {
            try {
                Process probe = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return Optional.of(python);
                }
            } catch (IOException e) {
                // not installed under this name: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the suite and prints its tables.
     *
     * @param steps      measured steps per variant, split into {@link #BLOCKS} blocks
     * @param runEpochs  epochs of each whole dense run (0 skips the whole runs)
     * @param wideEpochs epochs of each sparse-against-dense run of the 784-2048-2048-10 MLP
     * @return the step table, or an empty one when no python3 imports torch
     */
    public static Table run(int steps, int runEpochs, int wideEpochs, PrintStream out) throws IOException {
        Optional<String> python = pythonWithTorch();
        if (python.isEmpty()) {
            out.println("suite vs-pytorch: skipped: no python3 that imports torch (Debian: sudo apt-get install -y"
                    + " python3-torch libopenblas0-pthread; or set PRUNE4J_PYTHON)");
            return new BenchTable("vs-pytorch (skipped: no PyTorch)").table();
        }
        if (Engine.getInstance() instanceof PtEngine) {
            // This JVM runs the bench only: its PyTorch threads stay at 1 for the rest of the command.
            JniUtils.setNumThreads(1);
        }
        Path script = Files.createTempFile("prune4j-vs-pytorch", ".py");
        try (InputStream in = VsPyTorchBenchmark.class.getResourceAsStream("vs_pytorch.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path mnist = Datasets.root().resolve("datasets").resolve("mnist");
        DataSplit data = Datasets.mnist();
        try {
            out.printf(Locale.ROOT, "suite vs-pytorch: LeNet-300-100 on MNIST, batch %d, 1 thread each (%s, %s)%n",
                    BATCH, python.get(), Files.isDirectory(OPENBLAS) ? "OpenBLAS pthread" : "PyTorch's default BLAS");
            if (!Files.isDirectory(OPENBLAS)) {
                // Measured 2026-12-06: 32 ms a dense step on Debian's reference libblas3 against 2.2 ms on OpenBLAS.
                out.println("warning: no " + OPENBLAS + ": PyTorch runs on the reference BLAS, about 15x slower, so"
                        + " the ratios flatter Prune4J; install libopenblas0-pthread for a fair comparison");
            }
            Table stepTable = steps(python.get(), script, mnist, data, steps, out);
            if (runEpochs > 0) {
                wholeRuns(python.get(), script, mnist, runEpochs, out);
                sparseRuns(python.get(), script, mnist, "lenet300", SPARSE_RUN_EPOCHS, 2, out);
                // One pair where a dense PyTorch run is long (20 epochs: about 25 minutes).
                sparseRuns(python.get(), script, mnist, "mlp2048", wideEpochs, wideEpochs > WIDE_RUN_EPOCHS ? 1 : 2, out);
            }
            return stepTable;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static ProcessBuilder python(String python, Path script, Path mnist, String... extra) {
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--mnist", mnist.toString(),
                "--threads", "1", "--batch", String.valueOf(BATCH), "--sparsity", String.valueOf(SPARSITY)));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        oneThread(builder.environment());
        if (Files.isDirectory(OPENBLAS)) {
            builder.environment().merge("LD_LIBRARY_PATH", OPENBLAS.toString(), (old, add) -> add + ":" + old);
        }
        return builder;
    }

    private static void oneThread(Map<String, String> environment) {
        environment.put("OMP_NUM_THREADS", "1");
        environment.put("MKL_NUM_THREADS", "1");
        environment.put("OPENBLAS_NUM_THREADS", "1");
    }

    /** One side's steps: Prune4J's session in this JVM. */
    private record JavaSteps(TrainingSession session) implements SideBySide.Variant {
        @Override
        public long run(int units) {
            for (int i = 0; i < units; i++) {
                session.trainStep();
            }
            StepBenchmark.sync(session.model());
            return 0;
        }
    }

    /** Sends the PyTorch worker one command line and returns its one-line answer, trimmed. */
    private static String ask(BufferedWriter to, BufferedReader from, String command) throws IOException {
        to.write(command + "\n");
        to.flush();
        String answer = from.readLine();
        if (answer == null) {
            throw new IllegalStateException("the PyTorch worker stopped (see its error output above)");
        }
        return answer.trim();
    }

    /** The other side's steps: the PyTorch worker, which answers the nanoseconds it spent. */
    private record PythonSteps(String kind, BufferedWriter to, BufferedReader from) implements SideBySide.Variant {
        @Override
        public long run(int units) {
            long start = System.nanoTime();
            try {
                long own = Long.parseLong(ask(to, from, kind + " " + units));
                // Everything but the worker's own time (the pipe, the process switch) is left out.
                return Math.max(0, System.nanoTime() - start - own);
            } catch (IOException e) {
                throw new IllegalStateException("the PyTorch worker failed: " + e.getMessage(), e);
            }
        }
    }

    private static TrainingSession session(DataSplit data, SparsityMethod method) {
        return session(data, method, true);
    }

    private static TrainingSession session(DataSplit data, SparsityMethod method, boolean fusedSgd) {
        return session(data, method, fusedSgd, SparseKernel.OFF);
    }

    private static TrainingSession session(DataSplit data, SparsityMethod method, boolean fusedSgd, SparseKernel kernel) {
        return SparseTraining.of("lenet300", data)
                .optimizer(Optimizers.sgd().lr(0.1).momentum(0.9).weightDecay(5e-4).fusedKernel(fusedSgd))
                .method(method).sparseKernel(kernel).batchSize(BATCH).epochs(100).seed(1).progress(Progress.silent())
                .session();
    }

    /** GMP's masks at {@link #SPARSITY}, layer-wise, fixed for the whole bench. */
    private static SparsityMethod maskedMethod() {
        return Gmp.layerwise().sparsity(SPARSITY).initialSparsity(SPARSITY).every(Long.MAX_VALUE / 4).build();
    }

    private static Table steps(String python, Path script, Path mnist, DataSplit data, int steps, PrintStream out)
            throws IOException {
        int blockSteps = Math.max(CHUNK_STEPS, steps / BLOCKS);
        Process worker = python(python, script, mnist).start();
        BufferedWriter to = new BufferedWriter(new OutputStreamWriter(worker.getOutputStream(), StandardCharsets.UTF_8));
        BufferedReader from = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
        try (TrainingSession dense = session(data, new Dense(), true, SparseKernel.AUTO);
             TrainingSession masked = session(data, maskedMethod(), true, SparseKernel.AUTO);
             TrainingSession denseDjl = session(data, new Dense());
             TrainingSession denseDjlOps = session(data, new Dense(), false);
             TrainingSession sparse = session(data, StaticMask.builder().sparsity(SPARSE_TRAINING).build(), true,
                     SparseKernel.ON);
             TrainingSession maskedDjl = session(data, maskedMethod())) {
            if (!"ready".equals(from.readLine())) {
                throw new IllegalStateException("the PyTorch worker did not start (see its error output above)");
            }
            List<SideBySide.Variant> variants = List.of(new JavaSteps(dense), new PythonSteps("dense", to, from),
                    new JavaSteps(masked), new PythonSteps("masked", to, from), new JavaSteps(denseDjl),
                    new JavaSteps(denseDjlOps), new JavaSteps(sparse), new JavaSteps(maskedDjl));
            for (SideBySide.Variant variant : variants) {
                variant.run(WARMUP_STEPS);
            }
            double[][] nanos = SideBySide.nanosPerUnit(variants, BLOCKS, blockSteps, CHUNK_STEPS);
            TrainingCostModel costs = TrainingCostModel.measured(BATCH);
            out.println("training kernel's cost model, batch " + BATCH + ", 1 thread: " + (costs == null
                    ? "none (PyTorch's sgemm_ not found: every layer sparse)"
                    : costs + " (" + CalibrationCache.directory().resolve(CalibrationCache.FILE) + ")"));
            BenchTable table = new BenchTable("Prune4J vs PyTorch, LeNet-300-100, batch " + BATCH + ", 1 thread (medians over "
                    + BLOCKS + " blocks of " + blockSteps + " steps)");
            // Prune4J's default (--sparse-kernel auto): the training kernel, each layer on its cheaper path.
            table.add("lenet300", "dense step, Prune4J", "ms/step", BenchTable.scaled(nanos[0], 1e-6));
            table.add("lenet300", "dense step, PyTorch", "ms/step", BenchTable.scaled(nanos[1], 1e-6));
            table.add("lenet300", "dense step, Prune4J / PyTorch", "x", SideBySide.ratio(nanos[0], nanos[1]), 1.15,
                    "<= 1.15x");
            table.add("lenet300", "masked step (90%), Prune4J", "ms/step", BenchTable.scaled(nanos[2], 1e-6));
            table.add("lenet300", "masked step (90%), PyTorch", "ms/step", BenchTable.scaled(nanos[3], 1e-6));
            table.add("lenet300", "masked step, Prune4J / PyTorch", "x", SideBySide.ratio(nanos[2], nanos[3]));
            table.add("lenet300", "Prune4J masked / dense step", "x", SideBySide.ratio(nanos[2], nanos[0]));
            // DJL's path (--sparse-kernel off): autograd and one libtorch call per op, SGD fused.
            table.add("lenet300", "dense step, Prune4J through DJL", "ms/step", BenchTable.scaled(nanos[4], 1e-6));
            table.add("lenet300", "dense step through DJL / PyTorch", "x", SideBySide.ratio(nanos[4], nanos[1]));
            table.add("lenet300", "dense step, kernel / through DJL", "x", SideBySide.ratio(nanos[0], nanos[4]));
            table.add("lenet300", "masked step (90%), Prune4J through DJL", "ms/step", BenchTable.scaled(nanos[7], 1e-6));
            // The same DJL step with SGD through DJL ops instead of the fused kernel (bit-identical results).
            table.add("lenet300", "dense step through DJL, SGD as DJL ops", "ms/step", BenchTable.scaled(nanos[5], 1e-6));
            table.add("lenet300", "dense step through DJL, SGD as DJL ops / fused", "x", SideBySide.ratio(nanos[5], nanos[4]));
            // Static ERK at 98% through the sparse training kernel: the step a sparse-from-the-start run takes.
            table.add("lenet300", "static 98% step, Prune4J sparse kernel", "ms/step", BenchTable.scaled(nanos[6], 1e-6));
            table.add("lenet300", "static 98% sparse-kernel step / PyTorch dense", "x", SideBySide.ratio(nanos[6], nanos[1]),
                    1.0, "<= 1.0x");
            table.add("lenet300", "static 98% sparse-kernel step / Prune4J dense", "x", SideBySide.ratio(nanos[6], nanos[0]));
            Table result = table.table();
            out.println(result.printAll());
            // libtorch's profiler sees DJL's ops; the kernel's products are one native call it cannot look into.
            out.println(opTable(denseDjl, to, from).printAll());
            out.println(productTable(to, from).printAll());
            return result;
        } finally {
            stop(worker, to);
        }
    }

    /** Steps each side runs under libtorch's profiler for the per-op table. */
    static final int PROFILED_STEPS = 200;
    /** Rows of the per-op table: the ops with the most self time on either side. */
    static final int OP_ROWS = 16;

    /**
     * Where the dense step's time goes: {@link #PROFILED_STEPS} steps of each side under libtorch's profiler
     * (DJL's {@code JniUtils.startProfile}, PyTorch's {@code autograd.profiler}), each op's self time per step,
     * and the time outside every libtorch op (Java, JNI and Prune4J's native kernels; the Python interpreter).
     * The profilers add their own cost to every op, so the rows explain the gap; the step table above measures it.
     */
    private static Table opTable(TrainingSession dense, BufferedWriter to, BufferedReader from) throws IOException {
        Path dir = Files.createTempDirectory("prune4j-vs-pytorch-ops");
        try {
            Path javaTrace = dir.resolve("prune4j.json");
            Path pythonTrace = dir.resolve("pytorch.json");
            JniUtils.startProfile(false, false, false);
            long start = System.nanoTime();
            new JavaSteps(dense).run(PROFILED_STEPS);
            double javaMicros = (System.nanoTime() - start) / 1e3 / PROFILED_STEPS;
            JniUtils.stopProfile(javaTrace.toString());
            String answer = ask(to, from, "profile dense " + PROFILED_STEPS + " " + pythonTrace);
            double pythonMicros = Long.parseLong(answer) / 1e3 / PROFILED_STEPS;
            return opTable(OpProfile.read(javaTrace, PROFILED_STEPS), javaMicros, OpProfile.read(pythonTrace,
                    PROFILED_STEPS), pythonMicros);
        } finally {
            TaskRunner.deleteTree(dir);
        }
    }

    /** Calls per op in {@link #productTable}. */
    static final int OP_CALLS = 500;

    /**
     * The step's largest products and one small op, each timed alone and unprofiled on both sides (LeNet-300-100's
     * fc1: the forward product, the weight gradient's, and a ReLU over its output): the libtorch BLAS gap and the
     * per-op cost of a call through DJL against one through Python.
     */
    private static Table productTable(BufferedWriter to, BufferedReader from) throws IOException {
        double[] java = new double[3];
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            manager.getEngine().setRandomSeed(0);
            NDArray x = manager.randomNormal(new Shape(128, 784));
            NDArray w = manager.randomNormal(new Shape(300, 784));
            NDArray b = manager.randomNormal(new Shape(300));
            NDArray g = manager.randomNormal(new Shape(128, 300));
            NDArray h = manager.randomNormal(new Shape(128, 300));
            java[0] = nanosPerCall(() -> x.getNDArrayInternal().linear(x, w, b).close());
            java[1] = nanosPerCall(() -> {
                try (NDArray gt = g.transpose()) {
                    gt.matMul(x).close();
                }
            });
            java[2] = nanosPerCall(() -> h.getNDArrayInternal().relu().close());
        }
        String[] python = ask(to, from, "ops " + OP_CALLS).split(" ");
        BenchTable table = new BenchTable("Single ops, unprofiled, " + OP_CALLS + " calls each, 1 thread: Prune4J"
                + " (through DJL) against PyTorch (through Python)");
        String[] names = {"fc1 forward, linear 128x784 . 784x300 (addmm)", "fc1 weight gradient, 300x128 . 128x784 (mm)",
            "ReLU over 128x300"};
        for (int i = 0; i < names.length; i++) {
            double pythonNanos = Double.parseDouble(python[i]);
            table.add("lenet300", names[i] + ", Prune4J", "us", new double[] {java[i] / 1e3});
            table.add("lenet300", names[i] + ", PyTorch", "us", new double[] {pythonNanos / 1e3});
            table.add("lenet300", names[i] + ", Prune4J / PyTorch", "x", new double[] {java[i] / pythonNanos});
        }
        return table.table();
    }

    private static double nanosPerCall(Runnable op) {
        for (int i = 0; i < 20; i++) {
            op.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < OP_CALLS; i++) {
            op.run();
        }
        return (System.nanoTime() - start) / (double) OP_CALLS;
    }

    /** The per-op table from two profiles and their profiled step times (microseconds). */
    static Table opTable(OpProfile prune4j, double prune4jStep, OpProfile pytorch, double pytorchStep) {
        Set<String> names = new HashSet<>(prune4j.selfMicros().keySet());
        names.addAll(pytorch.selfMicros().keySet());
        List<String> top = names.stream()
                .sorted(Comparator.comparingDouble((String op) -> Math.max(prune4j.self(op), pytorch.self(op)))
                        .reversed().thenComparing(Comparator.naturalOrder()))
                .limit(OP_ROWS).toList();
        StringColumn op = StringColumn.create("op");
        DoubleColumn[] columns = {DoubleColumn.create("Prune4J us/step"), DoubleColumn.create("Prune4J calls"),
            DoubleColumn.create("PyTorch us/step"), DoubleColumn.create("PyTorch calls")};
        for (String name : top) {
            op.append(name);
            append(columns, prune4j.self(name), prune4j.calls(name), pytorch.self(name), pytorch.calls(name));
        }
        double prune4jListed = top.stream().mapToDouble(prune4j::self).sum();
        double pytorchListed = top.stream().mapToDouble(pytorch::self).sum();
        op.append("other libtorch ops");
        append(columns, prune4j.opMicros() - prune4jListed, Double.NaN, pytorch.opMicros() - pytorchListed, Double.NaN);
        op.append("outside libtorch ops (Java, JNI, own kernels / Python)");
        append(columns, prune4jStep - prune4j.opMicros(), Double.NaN, pytorchStep - pytorch.opMicros(), Double.NaN);
        op.append("profiled step");
        append(columns, prune4jStep, Double.NaN, pytorchStep, Double.NaN);
        Table table = Table.create("Where the dense step's time goes: self time per libtorch op, " + PROFILED_STEPS
                + " profiled steps each, 1 thread (profiling slows both sides, unevenly: the single ops below are"
                + " unprofiled)", op);
        table.addColumns(columns);
        return table;
    }

    private static void append(DoubleColumn[] columns, double... values) {
        for (int i = 0; i < columns.length; i++) {
            columns[i].append(Double.isNaN(values[i]) ? values[i] : Math.round(values[i] * 10) / 10.0);
        }
    }

    private static void stop(Process worker, BufferedWriter to) {
        try {
            to.write("quit\n");
            to.flush();
            if (!worker.waitFor(30, TimeUnit.SECONDS)) {
                worker.destroyForcibly();
            }
        } catch (IOException e) {
            worker.destroyForcibly(); // it has gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.destroyForcibly();
        }
    }

    /** What a child process printed on stdout, and its peak resident memory. */
    private record ChildRun(String output, long peakBytes) {}

    /** Runs a child to its end, reading its VmHWM every 20 ms. */
    private static ChildRun watch(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        long peak = 0;
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the stream closed with the process
            }
        });
        reader.start();
        try {
            while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
                peak = Math.max(peak, MemoryProbe.peakResidentBytes(process.pid()));
            }
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("a whole run failed (exit " + process.exitValue() + "): "
                    + builder.command() + "\n" + output);
        }
        return new ChildRun(output.toString(), peak);
    }

    /** Prune4J's `train` command in a child JVM at 1 thread, for a whole run. */
    private static ProcessBuilder javaTrain(Path runDir, String... options) {
        String javaExe = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaExe));
        // The heap and collector options this JVM was started with (the launcher's defaults or the user's): the
        // peak memory measured is that of ./prune4j train as it runs here.
        command.addAll(JvmOptions.memory());
        command.addAll(List.of("-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), "org.prune4j.cli.Main", "train"));
        command.addAll(List.of(options));
        command.addAll(List.of("--batch-size", String.valueOf(BATCH), "--lr", "0.1", "--lr-schedule", "constant",
                "--out", runDir.toString()));
        ProcessBuilder java = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        oneThread(java.environment());
        return java;
    }

    /**
     * Whole runs of Prune4J's static ERK at 98% through the sparse kernel against PyTorch's dense run of the same
     * model, epochs and rate, alternated: issue 21's "sparse-from-the-start run at most 1.0x a dense PyTorch run".
     */
    private static void sparseRuns(String python, Path script, Path mnist, String model, int epochs, int repeats,
            PrintStream out) throws IOException {
        Path dir = Files.createTempDirectory("prune4j-vs-pytorch-sparse");
        double[][] seconds = new double[2][repeats];
        double[][] rssMb = new double[2][repeats];
        for (int r = 0; r < repeats; r++) {
            Path runDir = dir.resolve("run" + r);
            ChildRun javaRun = watch(javaTrain(runDir, "--model", model, "--method", "static", "--sparsity",
                    String.valueOf(SPARSE_TRAINING), "--sparse-kernel", "on", "--epochs", String.valueOf(epochs)));
            JsonObject summary = new Gson().fromJson(Files.readString(runDir.resolve("summary.json")), JsonObject.class);
            seconds[0][r] = summary.get("trainSeconds").getAsDouble();
            rssMb[0][r] = javaRun.peakBytes() / 1048576.0;
            ChildRun pythonRun = watch(python(python, script, mnist, "--run-epochs", String.valueOf(epochs), "--model",
                    model));
            String last = pythonRun.output().strip().lines().reduce((a, b) -> b).orElse("{}");
            JsonObject result = new Gson().fromJson(last, JsonObject.class);
            seconds[1][r] = result.get("trainSeconds").getAsDouble();
            rssMb[1][r] = pythonRun.peakBytes() / 1048576.0;
            out.printf(Locale.ROOT, "  %s run %d: Prune4J static 98%% %.1f s (test %.4f), %.0f MB peak; PyTorch dense"
                    + " %.1f s (test %.4f), %.0f MB peak%n", model, r + 1, seconds[0][r],
                    summary.get("testAccuracy").getAsDouble(), rssMb[0][r], seconds[1][r],
                    result.get("testAccuracy").getAsDouble(), rssMb[1][r]);
        }
        TaskRunner.deleteTree(dir); // the runs' outputs (a 70 MB checkpoint each for mlp2048) are read
        BenchTable table = new BenchTable("Whole " + epochs + "-epoch runs, " + model + ", batch " + BATCH + ", lr 0.1"
                + " constant, 1 thread: Prune4J static ERK 98% (sparse kernel) against PyTorch dense (alternated)");
        table.add(model, "training seconds, Prune4J static 98%", "s", seconds[0]);
        table.add(model, "training seconds, PyTorch dense", "s", seconds[1]);
        table.add(model, "Prune4J static 98% / PyTorch dense", "x", SideBySide.ratio(seconds[0], seconds[1]), 1.0,
                "<= 1.0x");
        table.add(model, "peak RSS, Prune4J", "MB", rssMb[0]);
        table.add(model, "peak RSS, PyTorch", "MB", rssMb[1]);
        out.println(table.table().printAll());
    }

    private static void wholeRuns(String python, Path script, Path mnist, int epochs, PrintStream out) throws IOException {
        Path dir = Files.createTempDirectory("prune4j-vs-pytorch");
        BenchTable table = new BenchTable("Whole " + epochs + "-epoch dense runs, LeNet-300-100, batch " + BATCH
                + ", 1 thread (children, alternated; min and max over the repeats)");
        int repeats = 2;
        double[][] seconds = new double[2][repeats];
        double[][] rssMb = new double[2][repeats];
        for (int r = 0; r < repeats; r++) {
            Path runDir = dir.resolve("run" + r);
            ChildRun javaRun = watch(javaTrain(runDir, "--model", "lenet300", "--method", "dense", "--epochs",
                    String.valueOf(epochs)));
            JsonObject summary = new Gson().fromJson(Files.readString(runDir.resolve("summary.json")), JsonObject.class);
            seconds[0][r] = summary.get("trainSeconds").getAsDouble();
            rssMb[0][r] = javaRun.peakBytes() / 1048576.0;
            ChildRun pythonRun = watch(python(python, script, mnist, "--run-epochs", String.valueOf(epochs)));
            String last = pythonRun.output().strip().lines().reduce((a, b) -> b).orElse("{}");
            JsonObject result = new Gson().fromJson(last, JsonObject.class);
            seconds[1][r] = result.get("trainSeconds").getAsDouble();
            rssMb[1][r] = pythonRun.peakBytes() / 1048576.0;
            out.printf(Locale.ROOT, "  whole run %d: Prune4J %.1f s (test %.4f), %.0f MB peak; PyTorch %.1f s (test %.4f),"
                    + " %.0f MB peak%n", r + 1, seconds[0][r], summary.get("testAccuracy").getAsDouble(), rssMb[0][r],
                    seconds[1][r], result.get("testAccuracy").getAsDouble(), rssMb[1][r]);
        }
        TaskRunner.deleteTree(dir);
        table.add("lenet300", "training seconds, Prune4J", "s", seconds[0]);
        table.add("lenet300", "training seconds, PyTorch", "s", seconds[1]);
        table.add("lenet300", "training time, Prune4J / PyTorch", "x", SideBySide.ratio(seconds[0], seconds[1]));
        table.add("lenet300", "peak RSS, Prune4J", "MB", rssMb[0]);
        table.add("lenet300", "peak RSS, PyTorch", "MB", rssMb[1]);
        table.add("lenet300", "peak RSS, Prune4J / PyTorch", "x", SideBySide.ratio(rssMb[0], rssMb[1]), 1.2, "<= 1.2x");
        out.println(table.table().printAll());
    }
}
