package org.prune4j.cli;

import ai.djl.Model;

import org.prune4j.bench.ExportBenchmark;
import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.data.ImageData;
import org.prune4j.export.CompressedModel;
import org.prune4j.export.ExportReport;
import org.prune4j.export.ModelFiles;
import org.prune4j.infer.Predictor;
import org.prune4j.infer.SparseEncoderInference;
import org.prune4j.infer.SparseInference;
import org.prune4j.infer.TopClass;
import org.prune4j.nn.BertClassifier;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code ./prune4j export} and {@code ./prune4j infer}. */
final class ExportCommands {

    private ExportCommands() {}

    static int export(Options options, PrintStream out) throws IOException {
        String run = options.text("run", null);
        String file = options.text("out", null);
        if (run == null || file == null) {
            throw new UsageException("export needs --run DIR and --out FILE");
        }
        Path dir = Path.of(run);
        if (!Files.isDirectory(dir)) {
            throw new UsageException("--run " + dir + " is not a folder: expected a train or demo output folder");
        }
        if (options.flag("shrink")) {
            return ShrinkCommand.run(dir, Path.of(file), options.integer("repeats", 200, 10, 1_000_000), out);
        }
        try (Model model = ModelFiles.load(dir)) {
            ExportReport report = CompressedModel.write(model.getBlock(), ModelFiles.header(dir), Path.of(file));
            out.println(report.table().printAll());
            out.println();
            out.println(report.sizes().printAll());
            out.println();
            out.println(String.format(Locale.ROOT, "wrote %s: %d bytes, %.3fx the dense .params (%d bytes; gzip %d bytes)",
                    file, report.fileBytes(), report.ratio(), report.djlBytes(), report.djlGzipBytes()));
        }
        return 0;
    }

    static int infer(Options options, PrintStream out) throws IOException {
        String file = options.text("model", null);
        if (file == null) {
            throw new UsageException("infer needs --model FILE (written by ./prune4j export)");
        }
        // Without --max-density the path of each layer is chosen per batch by the calibrated cost model.
        boolean fixed = options.text("max-density", null) != null;
        double maxDensity = fixed ? options.number("max-density", 0) : Double.NaN;
        if (fixed && !(maxDensity >= 0 && maxDensity <= 1)) {
            throw new UsageException("--max-density " + maxDensity + " is outside [0, 1]");
        }
        int repeats = options.integer("repeats", 200, 10, 1_000_000);
        if (!Files.isRegularFile(Path.of(file))) {
            throw new UsageException("--model " + file + " is not a file: expected one written by ./prune4j export");
        }
        CompressedModel compressed = CompressedModel.read(Path.of(file));
        DataSplit data = Datasets.load(options.text("dataset", "mnist"));
        try (Model model = compressed.newModel()) {
            long[] inputShape = compressed.header().inputShape();
            Predictor inference = plan(model, inputShape, fixed, maxDensity);
            out.println(inference.table(1, 64).printAll());
            ImageData test = data.test();
            boolean text = model.getBlock() instanceof BertClassifier;
            long start = System.nanoTime();
            double denseAccuracy = accuracy(inference, test, false);
            double denseSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            double sparseAccuracy = accuracy(inference, test, true);
            double sparseSeconds = (System.nanoTime() - start) / 1e9;
            out.println(String.format(Locale.ROOT, "test accuracy on %d %s: dense %.4f (%.2f s), planned path %.4f (%.2f s)",
                    test.size(), text ? "reviews" : "images", denseAccuracy, denseSeconds, sparseAccuracy, sparseSeconds));
            for (int batch : new int[] {1, 64}) {
                // The first test examples as input: a text model needs real token ids, not random floats.
                float[] input = test.pixels(0, batch);
                double[] ms = ExportBenchmark.latency(inference, input, batch, repeats);
                out.println(String.format(Locale.ROOT, "batch %2d: dense %.3f ms, %s %.3f ms, speed-up %.2fx (median of %d)",
                        batch, ms[0], "planned " + inference.pathName(batch), ms[1], ms[0] / ms[1], repeats));
            }
        }
        return 0;
    }

    /** The inference plan of an exported model: BERT's encoder path or the MLP-head path of the image models. */
    private static Predictor plan(Model model, long[] inputShape, boolean fixed, double maxDensity) {
        if (model.getBlock() instanceof BertClassifier bert) {
            return fixed ? SparseEncoderInference.compile(bert, model.getNDManager(), inputShape, maxDensity)
                    : SparseEncoderInference.compile(bert, model.getNDManager(), inputShape);
        }
        return fixed ? SparseInference.compile(model.getBlock(), model.getNDManager(), inputShape, maxDensity)
                : SparseInference.compile(model.getBlock(), model.getNDManager(), inputShape);
    }

    private static double accuracy(Predictor inference, ImageData data, boolean planned) {
        int batch = 250;
        int[] labels = data.labels();
        int classes = data.classes();
        long hits = 0;
        for (int from = 0; from < data.size(); from += batch) {
            int n = Math.min(batch, data.size() - from);
            float[] input = data.pixels(from, from + n);
            float[] logits = planned ? inference.predict(input, n) : inference.predictDense(input, n);
            for (int i = 0; i < n; i++) {
                if (TopClass.of(logits, i, classes) == labels[from + i]) {
                    hits++;
                }
            }
        }
        return (double) hits / data.size();
    }
}
