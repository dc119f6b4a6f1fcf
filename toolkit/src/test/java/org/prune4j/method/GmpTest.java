package org.prune4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.prune4j.ManagedTest;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.schedule.GradualSchedule;

import java.util.stream.Stream;

class GmpTest extends ManagedTest {

    private static final int STEPS_PER_EPOCH = 10;
    private static final int EPOCHS = 4;

    /** What an optimizer step does to the weights: moves every one, then the masks are re-applied. */
    private static void fakeTrainingStep(SparseModel model) {
        for (MaskedWeight w : model.weights()) {
            try (NDArray noise = model.values(w).getManager().randomNormal(0, 0.01f, w.shape(), w.parameter().getArray().getDataType())) {
                model.values(w).addi(noise);
            }
        }
        model.applyMasks();
    }

    /**
     * Weights the masks keep (a dense layer keeps all). Counted on the masks, not the weights: the fake
     * steps add noise, and over ~10^9 float additions some weight lands on exactly 0 by chance.
     */
    private static long totalNonzeros(SparseModel model) {
        long kept = 0;
        for (MaskedWeight w : model.weights()) {
            NDArray mask = model.mask(w);
            kept += mask == null ? w.size() : (long) mask.sum().getFloat();
        }
        return kept;
    }

    /** A host copy of every mask (all ones for a dense layer). */
    private static float[][] masks(SparseModel model) {
        float[][] out = new float[model.weights().size()][];
        for (MaskedWeight w : model.weights()) {
            NDArray mask = model.mask(w);
            if (mask == null) {
                out[w.index()] = new float[Math.toIntExact(w.size())];
                java.util.Arrays.fill(out[w.index()], 1f);
            } else {
                out[w.index()] = mask.toFloatArray();
            }
        }
        return out;
    }

    private static void assertOnlyShrinks(float[][] before, float[][] after, long step) {
        for (int l = 0; l < before.length; l++) {
            for (int i = 0; i < before[l].length; i++) {
                if (before[l][i] == 0f && after[l][i] != 0f) {
                    throw new AssertionError("layer " + l + " position " + i + " regrew at step " + step);
                }
            }
        }
    }

    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of(Budget.UNIFORM, 0.0, 0.0, null, 5L),
                Arguments.of(Budget.ERK, 0.0, 1.0, 3.0, 4L),
                Arguments.of(Budget.GLOBAL, 0.0, 0.5, 2.5, 7L),
                Arguments.of(Budget.UNIFORM, 0.5, 0.0, 2.0, 3L),
                Arguments.of(Budget.ER, 0.2, 0.3, 3.9, 1L));
    }

    @ParameterizedTest(name = "{0} from {1}, epochs {2} to {3}, every {4}")
    @MethodSource("runs")
    void followsTheScheduleExactlyAndOnlyPrunes(Budget budget, double initial, double start, Double end, long every) {
        SparseModel model = LayerAllocationTest.lenet300(manager);
        Gmp.Builder builder = Gmp.builder().sparsity(0.9).initialSparsity(initial).startEpoch(start).every(every).budget(budget);
        if (end != null) {
            builder.endEpoch(end);
        }
        Gmp gmp = builder.build();
        GradualSchedule schedule = gmp.schedule(STEPS_PER_EPOCH, EPOCHS);
        long total = model.totalWeights();
        FakeContext context = new FakeContext(model, STEPS_PER_EPOCH, EPOCHS, 1);

        gmp.onStart(context);
        long expectedAtStart = Math.round((1 - schedule.valueAt(0)) * total);
        assertTrue(Math.abs(totalNonzeros(model) - expectedAtStart) <= 1, "at the start");
        int updates = 0;
        for (long step = 1; step <= (long) STEPS_PER_EPOCH * EPOCHS; step++) {
            float[][] masksBefore = masks(model);
            long nonzerosBefore = totalNonzeros(model);
            fakeTrainingStep(model);
            context.step = step;
            gmp.afterStep(context);
            long nonzeros = totalNonzeros(model);
            if (schedule.isUpdateStep(step)) {
                updates++;
                double keep = (1 - schedule.valueAt(step)) * total;
                assertTrue(Math.abs(nonzeros - keep) <= 1,
                        "step " + step + ": " + nonzeros + " nonzeros, schedule keeps " + keep);
                double measured = 1 - (double) nonzeros / total;
                assertEquals(schedule.valueAt(step), measured, 1.0 / total, "sparsity at step " + step);
                assertOnlyShrinks(masksBefore, masks(model), step);
            } else {
                assertEquals(nonzerosBefore, nonzeros, "no change between updates, step " + step);
                float[][] masksAfter = masks(model);
                for (int l = 0; l < masksAfter.length; l++) {
                    assertArrayEquals(masksBefore[l], masksAfter[l], "mask of layer " + l + " at step " + step);
                }
            }
        }
        assertTrue(updates >= 3, "the schedule has several update steps: " + updates);
        // 0.1 of 266,200 weights: round(26,619.99...) = 26,620 exactly.
        assertEquals(26_620, totalNonzeros(model));
        assertEquals(1 - 26_620.0 / total, 1 - model.maskDensity(), 1e-15);
    }

    @Test
    void defaultScheduleEndsAtThreeQuartersOfTheRun() {
        GradualSchedule schedule = Gmp.builder().sparsity(0.8).build().schedule(100, 8);
        assertEquals(0, schedule.startStep());
        assertEquals(600, schedule.endStep());
        assertEquals(100, schedule.every());
        assertEquals(3.0, schedule.power());
        assertEquals(0.0, schedule.valueAt(0));
        assertEquals(0.8, schedule.valueAt(600));
        assertEquals(0.8 + (0 - 0.8) * Math.pow(1 - 300.0 / 600, 3), schedule.valueAt(350), 1e-15);
    }

    @Test
    void fractionalEpochsRoundToSteps() {
        GradualSchedule schedule = Gmp.builder().sparsity(0.5).startEpoch(0.25).endEpoch(1.5).every(3).power(2)
                .build().schedule(10, 2);
        assertEquals(3, Math.round(0.25 * 10)); // 2.5 rounds half up
        assertEquals(3, schedule.startStep());
        assertEquals(15, schedule.endStep());
        assertEquals(2.0, schedule.power());
    }

    @Test
    void endEpochAfterTheRunIsRejected() {
        Gmp gmp = Gmp.builder().sparsity(0.9).endEpoch(5).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gmp.schedule(10, 4));
        assertEquals("GMP end epoch 5.0 is after the last epoch: expected <= 4", e.getMessage());
        Gmp ok = Gmp.builder().sparsity(0.9).endEpoch(4).build();
        assertEquals(40, ok.schedule(10, 4).endStep());
    }

    @Test
    void startEpochAtOrAfterTheDefaultEndIsRejected() {
        // With no end epoch, pruning ends at 0.75 of the run: a later start would never reach the target.
        Gmp gmp = Gmp.builder().sparsity(0.9).startEpoch(5).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gmp.schedule(10, 4));
        assertEquals("GMP start epoch 5.0 is not before the end epoch 3.0: expected < 3.0", e.getMessage());
    }

    // Bad builder settings: org.prune4j.BadInputTest.

    @ParameterizedTest
    @CsvSource({"0.0", "0.5", "0.999"})
    void validSparsities(double sparsity) {
        Gmp gmp = Gmp.builder().sparsity(sparsity).build();
        assertEquals(sparsity, gmp.targetSparsity());
        assertEquals("gmp", gmp.name());
    }

    @Test
    void describe() {
        // Global by default, as the GraNet code's GMP baseline; layerwise() is Zhu and Gupta's uniform scope.
        assertEquals("gmp to sparsity 0.9 from 0.0, every 100 steps, epochs 0.0 to 0.75 of the run (global unstructured)",
                Gmp.builder().sparsity(0.9).build().describe());
        assertEquals("gmp to sparsity 0.9 from 0.0, every 100 steps, epochs 0.0 to 0.75 of the run (uniform unstructured)",
                Gmp.layerwise().sparsity(0.9).build().describe());
        assertEquals("gmp to sparsity 0.9 from 0.0, every 100 steps, epochs 0.0 to 0.75 of the run (global unstructured last-dense)",
                Gmp.builder().sparsity(0.9).budget(Budget.GLOBAL).keepLastDense(true).build().describe());
    }
}
