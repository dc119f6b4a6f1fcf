package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.method.Gmp;
import org.prune4j.method.StaticMask;
import org.prune4j.report.EpochStats;
import org.prune4j.report.LayerStats;
import org.prune4j.report.Run;

import java.util.List;

/** Real training on the full MNIST data: the numbers the README promises. */
@Tag("slow")
class MnistTrainingTest {

    private static DataSplit mnist;

    @BeforeAll
    static void load() {
        mnist = Datasets.mnist();
    }

    @Test
    void gmpReachesNinetyPercentSparsityAboveNinetySevenAndAHalfPercent() {
        // Layer-wise GMP (Zhu and Gupta's uniform scope; the default is global since issue 17), so that each
        // layer's count below is exact.
        Run run = SparseTraining.of("lenet300", mnist)
                .method(Gmp.layerwise().sparsity(0.9).build())
                .epochs(3).seed(1)
                .progress(Progress.silent())
                .fit();

        assertTrue(run.testAccuracy() >= 0.975, "test accuracy " + run.testAccuracy() + " on 10,000 test images");
        // Uniform layer budget: exactly 10% of each layer is kept.
        List<LayerStats> layers = run.layerRows();
        assertEquals(List.of(23_520L, 3_000L, 100L), layers.stream().map(LayerStats::nonzeros).toList());
        assertEquals(1 - 26_620.0 / 266_200.0, run.measuredSparsity(), 1e-12);
        assertEquals(3, run.historyRows().size());
        assertEquals(3L * 938, run.steps());
    }

    @Test
    void theSameSeedGivesTheSameMasksAndMetrics() {
        DataSplit small = mnist.subset(6_000, 2_000);
        Run first = staticRun(small, 7);
        Run second = staticRun(small, 7);
        Run other = staticRun(small, 8);

        assertEquals(metrics(first), metrics(second));
        assertEquals(first.layerRows(), second.layerRows());
        assertTrue(!metrics(first).equals(metrics(other)), "another seed should train differently");
    }

    private static Run staticRun(DataSplit data, long seed) {
        return SparseTraining.of("lenet300", data)
                .method(StaticMask.builder().sparsity(0.8).build())
                .epochs(1).seed(seed)
                .progress(Progress.silent())
                .fit();
    }

    private static List<Double> metrics(Run run) {
        EpochStats last = run.historyRows().get(run.historyRows().size() - 1);
        return List.of(last.loss(), last.trainAccuracy(), last.testAccuracy(), last.sparsity());
    }
}
