package org.prune4j.bench;

import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import org.prune4j.data.DataSplit;
import org.prune4j.data.ImageData;
import org.prune4j.exec.TaskRunner;
import org.prune4j.method.DynamicSparse;
import org.prune4j.optim.Optimizers;
import org.prune4j.train.MemoryProbe;
import org.prune4j.train.Progress;
import org.prune4j.train.SparseTraining;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A memory soak: one long {@code fit()} of LeNet-300-100 with RigL changing the masks every 100 steps for the
 * whole run (drop by magnitude, regrow by gradient), an evaluation every epoch and a checkpoint every
 * {@code steps / 10} steps, sampling the live NDArrays ({@link MemoryProbe#liveArrays()}) and the resident
 * memory (VmRSS) as it goes. After a warm-up (optimizer state, masks, first checkpoint) both must stay flat:
 * the array count exactly, the resident memory within allocator noise.
 *
 * <p>Data: random images with labels from a fixed rule (100 steps per epoch; 1,000 test images); memory
 * does not depend on what the pixels mean, and the soak needs no dataset on disk. Samples are taken at the same point of a step (after the step, at a multiple of the
 * sampling interval, which is a multiple of the loss check's 50 steps) after a {@code System.gc()}, so that
 * the Java heap's garbage does not pass for a leak.
 */
public final class SoakBenchmark {

    /** Steps between mask updates. */
    public static final int MASK_INTERVAL = 100;
    /**
     * What is trained: the benchmark's LeNet-300-100 on 1x28x28 images at batch 64, or, for the short form
     * that CI runs, a 64-32-16-10 MLP on 1x8x8 images at batch 16 (the same loop, checkpoints and mask
     * updates, a tenth of the arithmetic). Both have 100 steps per epoch.
     */
    public enum Size {
        /** LeNet-300-100, 6,400 training images of 28x28, batch 64. */
        FULL(28, 64),
        /** A small MLP, 1,600 training images of 8x8, batch 16. */
        SHORT(8, 16);

        final int side;
        final int batchSize;

        Size(int side, int batchSize) {
            this.side = side;
            this.batchSize = batchSize;
        }

        SparseTraining training(DataSplit data) {
            if (this == FULL) {
                return SparseTraining.of("lenet300", data);
            }
            return SparseTraining.of("mlp-64-32-16", classes -> new SequentialBlock()
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(32).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(16).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(classes).build()), data);
        }
    }

    /**
     * One sample: after {@code step} steps, {@code liveArrays} open NDArrays, {@code residentBytes} of RSS,
     * and {@code heapBytes} of Java heap committed (part of the RSS, so its growth is not a native leak).
     */
    public record Sample(long step, int liveArrays, long residentBytes, long heapBytes) {}

    /**
     * The samples of one soak and its verdict.
     *
     * @param samples    in step order; the first is the warm-up reference
     * @param totalSteps steps run
     */
    public record Result(List<Sample> samples, long totalSteps) {

        /** The sample taken at the end of the warm-up. */
        public Sample warm() {
            return samples.get(0);
        }

        /** The last sample. */
        public Sample last() {
            return samples.get(samples.size() - 1);
        }

        /** Whether every sample after the warm-up holds exactly the warm-up's number of live arrays. */
        public boolean arraysFlat() {
            return samples.stream().allMatch(s -> s.liveArrays() == warm().liveArrays());
        }

        /** The largest live-array count minus the warm-up's. */
        public int arrayGrowth() {
            return samples.stream().mapToInt(Sample::liveArrays).max().orElse(0) - warm().liveArrays();
        }

        /** Resident memory at the end minus at the warm-up, in MiB. */
        public double residentGrowthMiB() {
            return (last().residentBytes() - warm().residentBytes()) / (1024.0 * 1024.0);
        }

        /**
         * The resident memory's trend after the warm-up, in MiB per 1,000 steps: the least-squares slope over
         * all samples, which one late allocator burst does not dominate.
         */
        public double residentSlopeMiBPer1000Steps() {
            int n = samples.size();
            if (n < 2) {
                return 0;
            }
            double meanX = samples.stream().mapToLong(Sample::step).average().orElse(0);
            double meanY = samples.stream().mapToLong(Sample::residentBytes).average().orElse(0);
            double num = 0;
            double den = 0;
            for (Sample s : samples) {
                num += (s.step() - meanX) * (s.residentBytes() - meanY);
                den += (s.step() - meanX) * (s.step() - meanX);
            }
            return den == 0 ? 0 : num / den * 1000 / (1024.0 * 1024.0);
        }

        /** The samples as a table: step, liveArrays, residentMiB, heapMiB (committed Java heap). */
        public Table table() {
            return Table.create("soak",
                    LongColumn.create("step", samples.stream().mapToLong(Sample::step).toArray()),
                    IntColumn.create("liveArrays", samples.stream().mapToInt(Sample::liveArrays).toArray()),
                    DoubleColumn.create("residentMiB", samples.stream().mapToDouble(s -> mib(s.residentBytes())).toArray()),
                    DoubleColumn.create("heapMiB", samples.stream().mapToDouble(s -> mib(s.heapBytes())).toArray()));
        }

        private static double mib(long bytes) {
            return Math.round(bytes / 1048576.0 * 10) / 10.0;
        }
    }

    private SoakBenchmark() {}

    /**
     * Runs a soak of {@code steps} steps, sampling every {@code sampleEvery} steps from step {@code warmup}
     * on; {@code sampleEvery} and {@code warmup} must be multiples of 50 (the loss check's interval).
     *
     * @throws IllegalArgumentException naming a bad value and the accepted range
     */
    public static Result run(Size size, long steps, int warmup, int sampleEvery) {
        if (sampleEvery < 50 || sampleEvery % 50 != 0) {
            throw new IllegalArgumentException("soak sampling interval " + sampleEvery + " must be a multiple of 50, >= 50");
        }
        if (warmup < 50 || warmup % 50 != 0 || warmup >= steps) {
            throw new IllegalArgumentException("soak warm-up " + warmup + " must be a multiple of 50 in [50, " + steps + ")");
        }
        int stepsPerEpoch = 100;
        DataSplit data = new DataSplit(images("soak/train", stepsPerEpoch * size.batchSize, size.side, 1),
                images("soak/test", 1000, size.side, 2));
        int epochs = Math.toIntExact((steps + stepsPerEpoch - 1) / stepsPerEpoch);
        List<Sample> samples = new ArrayList<>();
        Path checkpoints;
        try {
            checkpoints = Files.createTempDirectory("prune4j-soak-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            size.training(data)
                    .method(DynamicSparse.rigl().sparsity(0.9).every(MASK_INTERVAL).updateUntil(1.0).build())
                    .optimizer(Optimizers.sgd().lr(0.05).momentum(0.9).weightDecay(5e-4).cosineLr())
                    .batchSize(size.batchSize).epochs(epochs).seed(1)
                    .checkpointTo(checkpoints).checkpointEvery(Math.max(1, steps / 10) + "s")
                    .progress(new Progress() {
                        @Override
                        public void step(int epoch, int epochsTotal, int stepInEpoch, int perEpoch) {
                            long step = (long) epoch * perEpoch + stepInEpoch;
                            if (step >= warmup && (step - warmup) % sampleEvery == 0) {
                                System.gc();
                                samples.add(new Sample(step, MemoryProbe.liveArrays(), MemoryProbe.residentBytes(),
                                        Runtime.getRuntime().totalMemory()));
                            }
                        }

                        @Override
                        public void epoch(int epoch, int epochsTotal, double loss, double trainAccuracy, double testAccuracy,
                                double sparsity, double seconds) {}
                    })
                    .fit();
        } finally {
            TaskRunner.deleteTree(checkpoints);
        }
        return new Result(List.copyOf(samples), (long) epochs * stepsPerEpoch);
    }

    /** The full soak of the benchmark command: prints the samples and the verdict. */
    public static Result run(long steps, PrintStream out) {
        int warmup = (int) Math.min(2000, steps / 10 / 50 * 50);
        int every = (int) Math.max(50, steps / 40 / 50 * 50);
        out.println("prune4j: soak of " + steps + " steps, LeNet-300-100, RigL at 0.9 updating masks every " + MASK_INTERVAL
                + " steps, checkpoint every " + Math.max(1, steps / 10) + " steps; sampling every " + every + " steps after "
                + warmup);
        long started = System.nanoTime();
        Result result = run(Size.FULL, steps, Math.max(50, warmup), every);
        out.println(result.table().printAll());
        out.println(verdict(result, (System.nanoTime() - started) / 1e9));
        return result;
    }

    /** Two lines: the live-array count and the resident memory after the warm-up. */
    public static String verdict(Result result, double seconds) {
        return String.format(Locale.ROOT,
                "live NDArrays: %d at step %d, %s (max growth %d) over %d samples to step %d%n"
                        + "resident memory: %.1f MiB at step %d, %.1f MiB at step %d (%+.1f MiB, of which Java heap committed"
                        + " %+.1f MiB; trend %+.2f MiB per 1,000 steps); %.0f s",
                result.warm().liveArrays(), result.warm().step(), result.arraysFlat() ? "flat" : "GROWING",
                result.arrayGrowth(), result.samples().size(), result.last().step(),
                result.warm().residentBytes() / 1048576.0, result.warm().step(), result.last().residentBytes() / 1048576.0,
                result.last().step(), result.residentGrowthMiB(),
                (result.last().heapBytes() - result.warm().heapBytes()) / 1048576.0, result.residentSlopeMiBPer1000Steps(), seconds);
    }

    /** Random images whose label is the brightest of ten horizontal bands, so the model has something to learn. */
    private static ImageData images(String name, int n, int side, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[n * side * side];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double[] bands = new double[10];
            for (int p = 0; p < side * side; p++) {
                float v = random.nextFloat();
                pixels[i * side * side + p] = v;
                bands[Math.min(9, p / side * 10 / side)] += v;
            }
            int best = 0;
            for (int c = 1; c < 10; c++) {
                if (bands[c] > bands[best]) {
                    best = c;
                }
            }
            labels[i] = best;
        }
        return ImageData.of(name, 1, side, side, 10, pixels, labels);
    }
}
