package org.prune4j.kernel;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a layer of {@link SparseMlpKernel}'s training step costs on each of its two paths, per step at one batch size,
 * so that each layer takes the cheaper one:
 *
 * <pre>
 * dense(out, in)  = out * in * denseNsPerWeight     (three BLAS products and the update over every weight)
 * sparse(kept)    = kept * sparseNsPerKeptWeight    (the same over the kept weights only)
 * </pre>
 *
 * so a layer runs sparse below the crossover density {@code denseNsPerWeight / sparseNsPerKeptWeight}. Why a
 * calibration and not a fixed threshold: the crossover is the ratio of a tuned BLAS to a hand-vectorised loop, and
 * it moves with the machine's vector width, caches and thread count (as {@code infer.InferenceCostModel}'s does for
 * inference). {@link #measured(int)} times the kernel itself once per machine, thread count and batch size, about
 * 0.1 s, and keeps the result in {@link CalibrationCache} so that every later run plans alike.
 *
 * @param denseNsPerWeight      nanoseconds per weight and step on the dense path
 * @param sparseNsPerKeptWeight nanoseconds per kept weight and step on the sparse path
 */
public record TrainingCostModel(double denseNsPerWeight, double sparseNsPerKeptWeight) {

    /** Where the dense path cannot run inside the kernel: the crossover measured before it could (docs/benchmarks.md). */
    public static final double FALLBACK_CROSSOVER = 0.10;

    /** Validates that both costs are positive and finite. */
    public TrainingCostModel {
        for (double value : new double[] {denseNsPerWeight, sparseNsPerKeptWeight}) {
            if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("cost " + value + " ns is outside (0, infinity): expected a "
                        + "positive time per weight");
            }
        }
    }

    /**
     * The kept fraction below which a layer trains faster sparse, rounded down to a hundredth (so that noise in
     * the last digits of a calibration does not move a layer's path) and capped at 1.
     */
    public double crossoverDensity() {
        return Math.min(1.0, Math.floor(100 * denseNsPerWeight / sparseNsPerKeptWeight) / 100);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "dense %.3f ns/weight, sparse %.3f ns/kept weight: crossover density %.2f",
                denseNsPerWeight, sparseNsPerKeptWeight, crossoverDensity());
    }

    private static final Map<String, TrainingCostModel> MEASURED = new ConcurrentHashMap<>();

    /**
     * This machine's model at this batch size and PyTorch's thread count: the one in {@link CalibrationCache}, else
     * calibrated now and saved there; then kept for the JVM. Null where the dense path cannot run inside the kernel
     * ({@link SparseMlpKernel#denseProductAvailable()}).
     */
    public static TrainingCostModel measured(int batch) {
        if (!SparseMlpKernel.denseProductAvailable()) {
            return null;
        }
        String key = cacheKey(batch, SparseMlpKernel.torchThreads());
        return MEASURED.computeIfAbsent(key, k -> CalibrationCache.load(k, () -> calibrate(batch)));
    }

    /** The cache key: the CPU, PyTorch's intra-op threads and the batch, the three things the costs depend on. */
    static String cacheKey(int batch, int threads) {
        return Cpu.NAME + " | " + threads + " threads | batch " + batch;
    }

    /** The CPU's name, read once per JVM. */
    private static final class Cpu {
        static final String NAME = cpuName();
    }

    /** The CPU's model name from /proc/cpuinfo, or the architecture where there is none. */
    private static String cpuName() {
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .orElse(System.getProperty("os.arch"));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return System.getProperty("os.arch");
        }
    }

    /**
     * Times one-layer steps of a synthetic 512 x 512 layer at this batch size: dense, sparse at 5% kept, and sparse
     * with nothing kept (the loss and the input transpose, which both paths pay and the model leaves out); the
     * fastest of 9 interleaved repeats after 2 warm-ups, as the inference model does (load slows a run, never
     * speeds it). The first layer of a model has no input gradient and the others have one, on both paths alike,
     * so the ratio holds for both.
     */
    public static TrainingCostModel calibrate(int batch) {
        int size = 512;
        Random random = new Random(13);
        ByteBuffer input = SparseMlpKernel.floats((long) batch * size);
        ByteBuffer labels = ByteBuffer.allocateDirect(batch * Long.BYTES).order(input.order());
        for (int b = 0; b < batch; b++) {
            labels.putLong(b * Long.BYTES, random.nextInt(size));
        }
        for (int k = 0; k < batch * size; k++) {
            input.putFloat(k * Float.BYTES, random.nextFloat());
        }
        float[] kept = new float[size * size];
        for (int k = 0; k < kept.length; k++) {
            kept[k] = random.nextFloat() < 0.05f ? 1f : 0f;
        }
        SparseMlpKernel.KeptRows sparse = SparseMlpKernel.keptRows(kept, size, size);
        SparseMlpKernel.KeptRows none = SparseMlpKernel.keptRows(new float[size * size], size, size);
        ByteBuffer weight = SparseMlpKernel.floats((long) size * size);
        ByteBuffer ones = SparseMlpKernel.floats((long) size * size);
        for (int k = 0; k < size * size; k++) {
            weight.putFloat(k * Float.BYTES, (random.nextFloat() - 0.5f) / 16);
            ones.putFloat(k * Float.BYTES, 1f);
        }
        ByteBuffer bias = SparseMlpKernel.floats(size);
        ByteBuffer weightVelocity = SparseMlpKernel.floats((long) size * size);
        ByteBuffer biasVelocity = SparseMlpKernel.floats(size);
        ByteBuffer gradient = SparseMlpKernel.floats((long) size * size);
        Object[][] layers = {
            {weight, bias, weightVelocity, biasVelocity, null, null, ones, gradient},
            {weight, bias, weightVelocity, biasVelocity, sparse.rowStart(), sparse.column(), null, null},
            {weight, bias, weightVelocity, biasVelocity, none.rowStart(), none.column(), null, null},
        };
        int[] widths = {size, size};
        ByteBuffer scratch = SparseMlpKernel.floats(SparseMlpKernel.scratchFloats(widths, batch));
        ByteBuffer result = SparseMlpKernel.floats(4);
        int repeats = 9;
        double[][] ns = new double[layers.length][repeats];
        for (int i = -2; i < repeats; i++) {
            for (int j = 0; j < layers.length; j++) {
                int r = (i & 1) == 0 ? j : layers.length - 1 - j;
                long start = System.nanoTime();
                // Learning rate 0: the step's work without moving the weights, so every repeat times the same thing.
                SparseMlpKernel.step(input, labels, batch, widths, layers[r], scratch, 0f, 0.9f, 5e-4f, false, result);
                if (i >= 0) {
                    ns[r][i] = System.nanoTime() - start;
                }
            }
        }
        double base = fastest(ns[2]);
        double dense = Math.max(1, fastest(ns[0]) - base) / ((double) size * size);
        double sparseCost = Math.max(1, fastest(ns[1]) - base) / sparse.kept();
        return new TrainingCostModel(dense, sparseCost);
    }

    private static double fastest(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }
}
