package org.prune4j.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.infer.SparseInference;
import org.prune4j.method.Gmp;
import org.prune4j.report.Run;
import org.prune4j.train.Progress;
import org.prune4j.train.SparseTraining;

import java.nio.file.Path;
import java.util.List;

/** Train briefly on an MNIST subset, save, export, reload: same parameters and the same test accuracy. */
@Tag("slow")
class MnistRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void exportThenReloadGivesIdenticalParametersAndAccuracy() throws Exception {
        DataSplit data = Datasets.mnist().subset(3_000, 1_000);
        Run run = SparseTraining.of("lenet300", data).method(Gmp.builder().sparsity(0.9).every(10).build())
                .epochs(1).seed(1).progress(Progress.silent()).saveModelTo(dir).fit();
        assertEquals(532_400L, run.flops().orElseThrow().inferenceDense());
        try (Model trained = ModelFiles.load(dir)) {
            ExportReport report = CompressedModel.write(trained.getBlock(), ModelFiles.header(dir), dir.resolve("m.p4j"));
            // Training masked with +0.0 only: the file stores exactly the nonzero weights (90% pruned).
            assertEquals(23_520 + 3_000 + 100, report.tensors().stream()
                    .filter(t -> t.encoding() != Encoding.DENSE).mapToLong(ExportReport.Entry::nonzeros).sum());
            try (Model reloaded = CompressedModel.read(dir.resolve("m.p4j")).newModel()) {
                List<int[]> a = CompressedModelTest.bits(trained);
                List<int[]> b = CompressedModelTest.bits(reloaded);
                for (int i = 0; i < a.size(); i++) {
                    assertArrayEquals(a.get(i), b.get(i));
                }
                double original = accuracy(trained, data);
                assertEquals(run.testAccuracy(), original, 1e-12, "the saved model is the trained one");
                assertEquals(original, accuracy(reloaded, data), 0.0);
            }
        }
    }

    private static double accuracy(Model model, DataSplit data) {
        SparseInference inference = SparseInference.compile(model.getBlock(), model.getNDManager(), new long[] {1, 1, 28, 28}, 0);
        float[] logits = inference.predictDense(data.test().pixels().clone(), data.test().size());
        int hits = 0;
        for (int i = 0; i < data.test().size(); i++) {
            int best = 0;
            for (int c = 1; c < 10; c++) {
                if (logits[i * 10 + c] > logits[i * 10 + best]) {
                    best = c;
                }
            }
            hits += best == data.test().labels()[i] ? 1 : 0;
        }
        return (double) hits / data.test().size();
    }
}
