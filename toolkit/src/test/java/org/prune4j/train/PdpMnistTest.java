package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.prune4j.data.Datasets;
import org.prune4j.method.Pdp;
import org.prune4j.report.LayerStats;
import org.prune4j.report.Run;

/** PDP on the full MNIST data: LeNet-300-100 at 90% on 6,000 images, warm-up 0, pruning 2 epochs, fine-tune 1. */
@Tag("slow")
class PdpMnistTest {

    @Test
    void pdpReachesExactlyNinetyPercentSparsityWithHighAccuracy() {
        Pdp pdp = Pdp.builder().sparsity(0.9).build();
        // The first 6,000 training images, all 10,000 test images, the CLI's settings.
        Run run = SparseTraining.of("lenet300", Datasets.mnist().subset(6_000, 10_000))
                .method(pdp)
                .optimizer(org.prune4j.optim.Optimizers.sgd().lr(0.1).momentum(0.9).weightDecay(5e-4).cosineLr())
                .batchSize(64).epochs(3).seed(1)
                .progress(Progress.silent())
                .fit();
        // Measured with ./prune4j train --method pdp --sparsity 0.9 --epochs 3 --train-size 6000 --tau 1e-3: 0.9369.
        assertTrue(run.testAccuracy() >= 0.92, "test accuracy " + run.testAccuracy());
        assertTrue(pdp.hardened());
        long kept = run.layerRows().stream().mapToLong(LayerStats::nonzeros).sum();
        assertEquals(26_620L, kept);
        assertEquals(1 - 26_620.0 / 266_200.0, run.measuredSparsity(), 1e-12);
    }
}
