package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.prune4j.data.DataSplit;
import org.prune4j.data.Datasets;
import org.prune4j.method.Gmp;
import org.prune4j.optim.Optimizers;

import tech.tablesaw.api.Table;

/** GraNet's pruning-plasticity analysis: its windows, its validation and, on real MNIST, its table. */
class PlasticityTest {

    private static final DataSplit TINY = TinyTraining.data(640, 64);

    @Test
    void theOneShotPruneLandsExactlyOnTheFirstStepAfterEpochE() {
        Plasticity p = Plasticity.of("lenet300", TINY).pruneAt(2, 5).interval(25).build();
        // 100 steps per epoch: the window is the interval [2 - 0.25, 2] epochs, i.e. steps 175..200.
        assertArrayEquals(new double[] {1.75, 2.0}, p.window(2, 100), 1e-12);
        Gmp gmp = (Gmp) p.withoutRegeneration(2, 100);
        var schedule = gmp.schedule(100, 4);
        assertEquals(0.0, schedule.valueAt(199), 1e-12);
        assertEquals(0.9, schedule.valueAt(200), 1e-12);
        assertTrue(schedule.isUpdateStep(200));
        assertEquals("global unstructured", gmp.allocation().toString());
        assertEquals("granet", p.withRegeneration(2, 100).name());
        assertEquals(7, p.epochsFor(5));
        assertArrayEquals(new int[] {2, 5}, p.pruneEpochs());
    }

    @Test
    void badSettingsGiveOneClearLine() {
        assertEquals("plasticity needs the epochs to prune at, such as 2, 4, 6", assertThrows(IllegalArgumentException.class,
                () -> Plasticity.of("lenet300", TINY).build()).getMessage());
        assertEquals("prune epochs [3, 3] must be >= 1 and increasing", assertThrows(IllegalArgumentException.class,
                () -> Plasticity.of("lenet300", TINY).pruneAt(3, 3).build()).getMessage());
        assertEquals("prune epochs [0, 2] must be >= 1 and increasing", assertThrows(IllegalArgumentException.class,
                () -> Plasticity.of("lenet300", TINY).pruneAt(0, 2).build()).getMessage());
        assertEquals("plasticity sparsity 1.0 is outside (0, 1)", assertThrows(IllegalArgumentException.class,
                () -> Plasticity.of("lenet300", TINY).pruneAt(1).sparsity(1).build()).getMessage());
        assertEquals("recovery epochs 0 is out of range: expected >= 1", assertThrows(IllegalArgumentException.class,
                () -> Plasticity.of("lenet300", TINY).pruneAt(1).recoveryEpochs(0).build()).getMessage());
        // 640 images at batch 128: 5 steps per epoch, so epoch 1 ends at step 5, inside the first interval of 100.
        IllegalArgumentException early = assertThrows(IllegalArgumentException.class,
                () -> Plasticity.of("lenet300", TINY).pruneAt(1).build().run());
        assertEquals("prune epoch 1 is step 5, within the first interval of 100 steps: expected a later epoch or a smaller"
                + " --interval", early.getMessage());
    }

    @Test
    @Tag("slow")
    void onMnistEveryRunReachesTheSparsityAndRegenerationChangesTheOutcome() {
        DataSplit data = Datasets.mnist().subset(6_400, 10_000);
        PlasticityResult result = Plasticity.of("lenet300", data).sparsity(0.9).pruneAt(1, 3).recoveryEpochs(1)
                .interval(10).seed(1)
                .optimizer(Optimizers.sgd().lr(0.1).momentum(0.9).weightDecay(5e-4).lrDropAt(3))
                .progress(Progress.silent())
                .build().run();
        Table table = result.table();
        assertEquals(2, table.rowCount());
        for (PlasticityResult.Row row : result.rows()) {
            assertEquals(0.9, row.sparsityWithout(), 1e-4);
            assertEquals(0.9, row.sparsityWith(), 1e-4);
            assertEquals(row.withoutRegeneration() - row.denseAtPruning(), row.plasticity(), 1e-12);
            assertNotEquals(row.withoutRegeneration(), row.withRegeneration(), "regeneration must change the run");
            assertTrue(row.denseAtPruning() > 0.85, "dense after " + row.pruneEpoch() + " epochs: " + row.denseAtPruning());
        }
        // One dense reference run serves every row: the accuracy after recovering from the prune at epoch 1 is
        // compared with the same dense run's epoch 2.
        assertEquals(result.rows().get(0).denseAfterRecovery(), table.doubleColumn("denseAfterRecovery").get(0), 0.0);
        assertTrue(result.chart().getSeriesMap().keySet().containsAll(java.util.List.of("without regeneration",
                "with neuroregeneration")));
    }
}
