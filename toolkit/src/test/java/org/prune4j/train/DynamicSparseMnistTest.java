package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.method.DynamicSparse;
import org.prune4j.method.GraNet;
import org.prune4j.report.LayerStats;
import org.prune4j.report.Run;

/**
 * RigL and GraNet on real MNIST, LeNet-300-100 at 90%, 3 epochs of batch 64, seed 1. Measured with
 * {@code ./prune4j train --method rigl|granet --sparsity 0.9 --epochs 3 --batch-size 64 --seed 1}: RigL
 * 0.9792, GraNet 0.9774; the threshold leaves 0.7 points of margin.
 */
@Tag("slow")
class DynamicSparseMnistTest {

    private static DataSplit mnist;

    @BeforeAll
    static void load() {
        mnist = Datasets.mnist();
    }

    private static Run train(org.prune4j.method.SparsityMethod method) {
        return SparseTraining.of("lenet300", mnist).method(method).epochs(3).batchSize(64).seed(1)
                .progress(Progress.silent()).fit();
    }

    private static long nonzeros(Run run) {
        return run.layerRows().stream().mapToLong(LayerStats::nonzeros).sum();
    }

    @Test
    void riglAtNinetyPercent() {
        Run run = train(DynamicSparse.rigl().sparsity(0.9).build());
        assertTrue(run.testAccuracy() >= 0.97, "rigl test accuracy " + run.testAccuracy());
        assertEquals(26_620L, nonzeros(run));
    }

    @Test
    void granetAtNinetyPercent() {
        Run run = train(GraNet.builder().sparsity(0.9).build());
        assertTrue(run.testAccuracy() >= 0.97, "granet test accuracy " + run.testAccuracy());
        assertEquals(26_620L, nonzeros(run));
    }
}
