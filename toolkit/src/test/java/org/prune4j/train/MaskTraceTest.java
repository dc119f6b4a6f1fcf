package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import org.junit.jupiter.api.Test;
import org.prune4j.ManagedTest;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.report.MaskUpdate;

import java.util.List;

/** Churn counted from real masks on a two-layer model: dropped, regrown, and regrown that survive. */
class MaskTraceTest extends ManagedTest {

    private long step;

    private NDArray mask(MaskedWeight weight, float... values) {
        return manager.create(values, weight.shape());
    }

    @Test
    void countsDroppedRegrownAndSurvivorsPerUpdate() {
        Block block = new SequentialBlock().add(Linear.builder().setUnits(2).build()).add(Linear.builder().setUnits(1).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
        try (SparseModel model = SparseModel.of(block);
             MaskTrace trace = new MaskTrace(model, () -> step, 10, manager)) {
            model.addListener(trace);
            MaskedWeight fc1 = model.weight("fc1"); // 2x2
            MaskedWeight fc2 = model.weight("fc2"); // 1x2

            // Step 0: the start prunes two of fc1's four weights and one of fc2's two, in one row.
            model.setMask(fc1, mask(fc1, 1, 1, 0, 0));
            model.setMask(fc2, mask(fc2, 1, 0));
            // Step 5: fc1 drops position 0 and regrows 2 and 3.
            step = 5;
            model.setMask(fc1, mask(fc1, 0, 1, 1, 1));
            // Step 10: fc1 drops position 2 again: of the two regrown at step 5, one survived.
            step = 10;
            model.setMask(fc1, mask(fc1, 0, 1, 0, 1));

            List<MaskUpdate> rows = trace.rows();
            assertEquals(3, rows.size());
            assertEquals(new MaskUpdate(0, 0.0, new long[] {2, 1}, 3, 0, 0), rows.get(0));
            assertEquals(new MaskUpdate(5, 0.5, new long[] {3, 1}, 1, 2, 1), rows.get(1));
            // Nothing regrown at step 10; the counts per layer follow every update.
            assertEquals(new MaskUpdate(10, 1.0, new long[] {2, 1}, 1, 0, 0), rows.get(2));

            // A checkpoint's rows replace what the restore's own mask setting looked like.
            trace.restore(rows.subList(0, 2));
            assertEquals(2, trace.rows().size());
            assertArrayEquals(new long[] {3, 1}, trace.rows().get(1).kept());
        }
    }
}
