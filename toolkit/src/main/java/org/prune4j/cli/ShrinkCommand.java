package org.prune4j.cli;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.prune4j.bench.ExportBenchmark;
import org.prune4j.data.Datasets;
import org.prune4j.data.ImageData;
import org.prune4j.export.ChannelShrink;
import org.prune4j.export.ModelFiles;
import org.prune4j.export.ModelHeader;
import org.prune4j.export.ShrunkMlp;
import org.prune4j.infer.SparseInference;
import org.prune4j.infer.TopClass;
import org.prune4j.model.LayerNames;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ./prune4j export --run DIR --shrink --out DIR}: a channel-pruned fully connected model written as a
 * physically smaller dense one ({@link ChannelShrink}, {@link ShrunkMlp}), then checked and timed against the
 * model it came from: the classes it gives on the run's whole test set, and the latency at batch 1 and 64 of
 * the dense forward, the masked model's planned sparse path and the shrunk model, interleaved.
 */
final class ShrinkCommand {

    private ShrinkCommand() {}

    static int run(Path runDir, Path outDir, int repeats, PrintStream out) throws IOException {
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new UsageException("--out " + outDir + " is a file: --shrink writes a folder (model.params, shrunk.json)");
        }
        ModelHeader header = ModelFiles.header(runDir);
        try (Model masked = ModelFiles.load(runDir); NDManager manager = NDManager.newBaseManager()) {
            List<ChannelShrink.DenseLinear> layers;
            try {
                layers = ChannelShrink.layers(masked.getBlock());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--shrink applies to fully connected models such as lenet300; " + runDir
                        + " holds " + header.model());
            }
            ShrunkMlp shrunk = new ShrunkMlp(header.inputShape(), ChannelShrink.shrink(layers));
            int[] before = new ShrunkMlp(header.inputShape(), layers).widths();
            if (Arrays.equals(before, shrunk.widths())) {
                throw new UsageException("--run " + runDir + " has no pruned neuron to remove (widths "
                        + Arrays.toString(before) + "): train it with --pattern channel");
            }
            ImageData test = Datasets.load(header.dataset()).test();
            shrunk.save(outDir);
            Block small = ShrunkMlp.load(outDir, manager);
            out.println(widths(layers, shrunk).printAll());
            long denseBytes = Files.size(runDir.resolve(ModelFiles.PARAMS));
            long shrunkBytes = Files.size(outDir.resolve(ShrunkMlp.PARAMS));
            out.println(String.format(Locale.ROOT, "wrote %s: %d bytes, %.3fx the dense model.params (%d bytes)",
                    outDir.resolve(ShrunkMlp.PARAMS), shrunkBytes, (double) shrunkBytes / denseBytes, denseBytes));

            float[] pixels = test.pixels();
            float[] maskedLogits = logits(masked.getBlock(), masked.getNDManager(), header, pixels, test.size());
            float[] shrunkLogits = logits(small, manager, header, pixels, test.size());
            int same = 0;
            int maskedHits = 0;
            int shrunkHits = 0;
            float worst = 0;
            for (int i = 0; i < test.size(); i++) {
                int a = TopClass.of(maskedLogits, i, header.classes());
                int b = TopClass.of(shrunkLogits, i, header.classes());
                same += a == b ? 1 : 0;
                maskedHits += a == test.labels()[i] ? 1 : 0;
                shrunkHits += b == test.labels()[i] ? 1 : 0;
                for (int c = 0; c < header.classes(); c++) {
                    int k = i * header.classes() + c;
                    worst = Math.max(worst, Math.abs(maskedLogits[k] - shrunkLogits[k]));
                }
            }
            out.println(String.format(Locale.ROOT, "same class on %d of %d test images (largest logit difference %.2e);"
                    + " accuracy masked %.4f, shrunk %.4f", same, test.size(), worst,
                    (double) maskedHits / test.size(), (double) shrunkHits / test.size()));

            SparseInference planned = SparseInference.compile(masked.getBlock(), masked.getNDManager(), header.inputShape());
            ParameterStore smallStore = new ParameterStore(manager, false);
            for (int batch : new int[] {1, 64}) {
                float[] input = test.pixels(0, batch);
                double[] ms = ExportBenchmark.medians(repeats, () -> planned.predictDense(input, batch),
                        () -> planned.predict(input, batch), () -> forward(small, manager, smallStore, header, input, batch));
                out.println(String.format(Locale.ROOT, "batch %2d: dense %.4f ms, masked (%s) %.4f ms, shrunk %.4f ms;"
                        + " speed-up of shrunk over dense %.2fx (median of %d)", batch, ms[0], planned.pathName(batch), ms[1],
                        ms[2], ms[0] / ms[2], repeats));
            }
        }
        return 0;
    }

    private static Table widths(List<ChannelShrink.DenseLinear> before, ShrunkMlp shrunk) {
        Table table = Table.create("shrunk", StringColumn.create("layer"), StringColumn.create("masked"),
                StringColumn.create("shrunk"), IntColumn.create("parameters"), IntColumn.create("shrunkParameters"),
                DoubleColumn.create("fraction"));
        for (int i = 0; i < before.size(); i++) {
            ChannelShrink.DenseLinear a = before.get(i);
            ChannelShrink.DenseLinear b = shrunk.layers().get(i);
            int p = a.out() * a.in() + a.out();
            int q = b.out() * b.in() + b.out();
            table.stringColumn("layer").append(LayerNames.Kind.FC.prefix() + (i + 1));
            table.stringColumn("masked").append(a.out() + "x" + a.in());
            table.stringColumn("shrunk").append(b.out() + "x" + b.in());
            table.intColumn("parameters").append(p);
            table.intColumn("shrunkParameters").append(q);
            table.doubleColumn("fraction").append(Math.round(10_000.0 * q / p) / 10_000.0);
        }
        return table;
    }

    private static float[] forward(Block block, NDManager manager, ParameterStore store, ModelHeader header,
                                   float[] input, int batch) {
        long[] shape = header.inputShape().clone();
        shape[0] = batch;
        try (NDManager scope = manager.newSubManager()) {
            return block.forward(store, new NDList(scope.create(input, new Shape(shape))), false)
                    .singletonOrThrow().toFloatArray();
        }
    }

    private static float[] logits(Block block, NDManager manager, ModelHeader header, float[] pixels, int n) {
        return forward(block, manager, new ParameterStore(manager, false), header, pixels, n);
    }
}
