package org.prune4j.gap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prune4j.ManagedTest;
import org.prune4j.method.Budget;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.nn.Models;

import java.util.ArrayList;
import java.util.List;

class CGapTest extends ManagedTest {

    static SparseModel lenet300(NDManager manager) {
        Block block = Models.lenet300(10);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        return SparseModel.of(block);
    }

    /** What training does to the weights: moves every one (pruned ones too), then the masks are re-applied. */
    static void fakeStep(SparseModel model) {
        for (MaskedWeight w : model.weights()) {
            try (NDArray noise = model.values(w).getManager().randomNormal(0, 0.01f, w.shape(), DataType.FLOAT32)) {
                model.values(w).addi(noise);
            }
        }
        model.applyMasks();
    }

    static long maskCount(SparseModel model, int layer) {
        NDArray mask = model.mask(model.weights().get(layer));
        return mask == null ? -1 : (long) mask.sum().getFloat();
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "erk", "global"})
    void growsOnePartitionDenseAndPrunesItBackToExactlyItsTarget(String budget) {
        SparseModel model = lenet300(manager);
        CGap cgap = CGap.builder().sparsity(0.9).budget(Budget.parse(budget)).partitions(3).stepEpochs(2).rounds(2)
                .finetuneEpochs(2).build();
        GapContext context = new GapContext(model, 14, 1);
        cgap.onStart(context);
        long[] keep = cgap.targetKeepCounts();
        long targetTotal = 0;
        for (long k : keep) {
            targetTotal += k;
        }
        assertEquals(Math.round(0.1 * model.totalWeights()), targetTotal, 1);
        List<List<Integer>> grownPerStep = new ArrayList<>();
        float[][] fixedMasks = null;
        for (int epoch = 0; epoch < 14; epoch++) {
            context.epoch = epoch;
            for (int s = 0; s < 3; s++) {
                fakeStep(model);
            }
            List<Integer> grown = cgap.grownLayers();
            if (epoch < 12) {
                assertEquals(List.of((epoch / 2) % 3), grown, "epoch " + epoch);
                for (int layer = 0; layer < 3; layer++) {
                    if (grown.contains(layer)) {
                        assertNull(model.mask(model.weights().get(layer)), "grown layer " + layer + " has no mask");
                        assertEquals(model.weights().get(layer).size(), model.nonzeros(model.weights().get(layer)),
                                "grown layer " + layer + " regrew, epoch " + epoch);
                    } else if (!budget.equals("global")) {
                        assertEquals(keep[layer], GapMasks.kept(model, List.of(layer)), "layer " + layer + " at target, epoch " + epoch);
                    }
                }
                if (epoch % 2 == 0 && grownPerStep.size() <= epoch / 2) {
                    grownPerStep.add(grown);
                }
            } else {
                assertTrue(grown.isEmpty());
                if (fixedMasks == null) {
                    fixedMasks = masks(model);
                } else {
                    assertArrayEquals(fixedMasks, masks(model), "masks fixed during the fine-tune");
                }
            }
            cgap.onEpochEnd(context);
            if (epoch < 12 && epoch % 2 == 1) {
                List<Integer> pruned = List.of((epoch / 2) % 3);
                long kept = GapMasks.kept(model, pruned);
                assertEquals(keep[pruned.get(0)], kept, "partition back at its target at the end of epoch " + epoch);
            }
        }
        assertEquals(6, grownPerStep.size());
        long kept = GapMasks.kept(model, CGap.allLayers(model));
        assertEquals(targetTotal, kept);
        assertEquals(1 - (double) targetTotal / model.totalWeights(), model.sparsity(), 1e-9);
        assertArrayEquals(fixedMasks, masks(model));
        model.close();
    }

    @Test
    void randomPartitioningRedrawsEveryRound() {
        SparseModel model = lenet300(manager);
        CGap cgap = CGap.builder().sparsity(0.8).partitions(3).partitioning(Partitioning.random()).rounds(3).build();
        GapContext context = new GapContext(model, 9, 5);
        cgap.onStart(context);
        List<Integer> previous = List.of();
        for (int epoch = 0; epoch < 9; epoch++) {
            context.epoch = epoch;
            if (epoch % 3 == 0) {
                assertTrue(!cgap.grownLayers().equals(previous), "round starts with a new set");
            }
            previous = cgap.grownLayers();
            assertNull(model.mask(model.weights().get(previous.get(0))));
            cgap.onEpochEnd(context);
        }
        model.close();
    }

    @Test
    void validation() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> CGap.builder().build());
        assertEquals("cgap: sparsity is required, in [0, 1)", missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CGap.builder().sparsity(0.9).rounds(0).build());
        SparseModel model = lenet300(manager);
        CGap tooMany = CGap.builder().sparsity(0.9).partitions(4).build();
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> tooMany.onStart(new GapContext(model, 4, 1)));
        assertEquals("partitions 4 exceed the 3 maskable layers: expected 1 to 3", k.getMessage());
        CGap cgap = CGap.builder().sparsity(0.9).partitions(3).rounds(2).finetuneEpochs(1).build();
        IllegalArgumentException epochs = assertThrows(IllegalArgumentException.class, () -> cgap.onStart(new GapContext(model, 5, 1)));
        assertEquals("cgap schedule needs K*T*R + F = 3*1*2 + 1 = 7 epochs, the run has 5", epochs.getMessage());
        model.close();
    }

    @Test
    void scheduleBeforeTraining() {
        SparseModel model = lenet300(manager);
        CGap cgap = CGap.builder().sparsity(0.9).partitions(3).stepEpochs(2).rounds(2).finetuneEpochs(2).build();
        var table = cgap.scheduleTable(model.shapes());
        assertEquals(7, table.rowCount());
        // Growing the first layer (235,200 of 266,200 weights) leaves ~8% sparsity.
        double expected = 1 - (235200 + 3000 + 100.0) / 266200;
        assertEquals(expected, table.doubleColumn("total sparsity").get(0), 1e-9);
        assertEquals(4, cgap.scheduleChart(model.shapes()).getSeriesMap().size());
        // The timeline: each partition is dense (a thick bar) in exactly the epochs it grows.
        var timeline = cgap.timelineChart(model.shapes());
        long bars = timeline.getSeriesMap().keySet().stream().filter(name -> name.matches("dense \\d+\\.\\d+")).count();
        assertEquals(cgap.schedule().steps(), bars);
        assertTrue(timeline.getSeriesMap().containsKey("dense (all weights kept)"));
        model.close();
    }

    static float[][] masks(SparseModel model) {
        float[][] out = new float[model.weights().size()][];
        for (MaskedWeight w : model.weights()) {
            NDArray mask = model.mask(w);
            out[w.index()] = mask == null ? new float[0] : mask.toFloatArray();
        }
        return out;
    }
}
