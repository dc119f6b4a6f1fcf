package org.prune4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.prune4j.ManagedTest;
import org.prune4j.density.DensityAllocation;
import org.prune4j.density.LayerBudget;
import org.prune4j.mask.Pattern;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.nn.Models;

import java.util.List;

class LayerAllocationTest extends ManagedTest {

    static SparseModel lenet300(NDManager manager) {
        Block block = Models.lenet300(10);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        return SparseModel.of(block);
    }

    private static long[] nonzeros(SparseModel model) {
        return model.weights().stream().mapToLong(model::nonzeros).toArray();
    }

    /** |w| of every layer on the host, before masking. */
    private static float[][] magnitudes(SparseModel model) {
        float[][] out = new float[model.weights().size()][];
        for (MaskedWeight w : model.weights()) {
            out[w.index()] = model.values(w).abs().toFloatArray();
        }
        return out;
    }

    /** Asserts that every kept |w| is at least every pruned |w| among the given layers. */
    private static void assertTopMagnitudes(SparseModel model, float[][] before, List<Integer> layers) {
        float minKept = Float.POSITIVE_INFINITY;
        float maxPruned = Float.NEGATIVE_INFINITY;
        for (int l : layers) {
            float[] after = model.values(model.weights().get(l)).toFloatArray();
            for (int i = 0; i < after.length; i++) {
                if (after[i] != 0f) {
                    assertEquals(before[l][i], Math.abs(after[i]), "kept weights keep their value");
                    minKept = Math.min(minKept, before[l][i]);
                } else {
                    maxPruned = Math.max(maxPruned, before[l][i]);
                }
            }
        }
        assertTrue(minKept >= maxPruned, "kept " + minKept + " < pruned " + maxPruned);
    }

    private static void keepTopMagnitudes(LayerAllocation allocation, SparseModel model, double density) {
        List<NDArray> scores = Scores.magnitude(model);
        allocation.keepTopScores(model, scores, density);
        Scores.close(scores);
    }

    @ParameterizedTest
    @CsvSource({"UNIFORM,UNIFORM", "ER,ER", "ERK,ERK"})
    void layerwiseCountsEqualTheDensityAllocation(Budget budget, LayerBudget layerBudget) {
        SparseModel model = lenet300(manager);
        float[][] before = magnitudes(model);
        LayerAllocation allocation = new LayerAllocation(budget, Pattern.unstructured(), false, false);
        long[] expected = DensityAllocation.of(layerBudget).keepCounts(model.shapes(), 0.1);
        assertArrayEquals(expected, allocation.keepCounts(model, 0.1));
        keepTopMagnitudes(allocation, model, 0.1);
        assertArrayEquals(expected, nonzeros(model));
        assertEquals(26_620, java.util.Arrays.stream(expected).sum());
        for (int l = 0; l < 3; l++) {
            assertTopMagnitudes(model, before, List.of(l));
        }
    }

    @Test
    void uniformAndErkCountsOnLenet300() {
        SparseModel model = lenet300(manager);
        assertArrayEquals(new long[] {23_520, 3_000, 100}, LayerAllocation.uniform().keepCounts(model, 0.1));
        LayerAllocation erk = new LayerAllocation(Budget.ERK, Pattern.unstructured(), false, false);
        assertArrayEquals(new long[] {18_714, 6_906, 1_000}, erk.keepCounts(model, 0.1));
        keepTopMagnitudes(erk, model, 0.1);
        assertArrayEquals(new long[] {18_714, 6_906, 1_000}, nonzeros(model));
        // ERK makes the classifier dense at 0.1: no mask at all rather than a mask of ones.
        assertNull(model.mask(model.weight("fc3")));
        assertNotNull(model.mask(model.weight("fc1")));
        assertEquals(26_620.0 / 266_200, model.maskDensity(), 1e-15);
    }

    @Test
    void globalKeepsTheGlobalTopMagnitudes() {
        SparseModel model = lenet300(manager);
        float[][] before = magnitudes(model);
        LayerAllocation global = new LayerAllocation(Budget.GLOBAL, Pattern.unstructured(), false, false);
        keepTopMagnitudes(global, model, 0.1);
        long[] counts = nonzeros(model);
        assertEquals(Math.round(0.1 * 266_200), counts[0] + counts[1] + counts[2]);
        assertEquals(26_620, counts[0] + counts[1] + counts[2]);
        assertTopMagnitudes(model, before, List.of(0, 1, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> global.keepCounts(model, 0.1));
        assertTrue(e.getMessage().contains("global"), e.getMessage());
    }

    /**
     * Heavy ties across layers: |w| rounded to a few values. The global masks must be the exact top-k
     * of the concatenated scores with ties going to the lowest flat index in layer order, which is what a
     * stable descending sort of all |w| gives.
     */
    @ParameterizedTest
    @CsvSource({"0.1", "0.5", "0.9"})
    void globalTiesAcrossLayersGoToTheLowestIndexInLayerOrder(double density) {
        SparseModel model = lenet300(manager);
        for (MaskedWeight weight : model.weights()) {
            NDArray w = model.values(weight);
            // Three or four distinct magnitudes per layer (LeNet weights are below about 0.1).
            w.set(w.mul(40).round().div(40).toFloatArray());
        }
        float[][] before = magnitudes(model);
        int total = 266_200;
        float[] all = new float[total];
        int offset = 0;
        for (float[] layer : before) {
            System.arraycopy(layer, 0, all, offset, layer.length);
            offset += layer.length;
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> all[a] != all[b] ? Float.compare(all[b], all[a]) : Integer.compare(a, b));
        int keep = (int) Math.round(density * total);
        float[] expected = new float[total];
        for (int i = 0; i < keep; i++) {
            expected[order[i]] = 1f;
        }

        keepTopMagnitudes(new LayerAllocation(Budget.GLOBAL, Pattern.unstructured(), false, false), model, density);

        offset = 0;
        for (MaskedWeight weight : model.weights()) {
            int size = (int) weight.size();
            float[] want = java.util.Arrays.copyOfRange(expected, offset, offset + size);
            assertArrayEquals(want, model.mask(weight).toFloatArray(), weight.name());
            offset += size;
        }
    }

    @ParameterizedTest
    @CsvSource({"UNIFORM,true,false,0.95", "UNIFORM,false,true,0.5", "UNIFORM,true,true,0.95", "ERK,false,true,0.1",
        "ER,true,false,0.95"})
    void keptDenseLayersGetNoMask(Budget budget, boolean first, boolean last, double density) {
        SparseModel model = lenet300(manager);
        LayerAllocation allocation = new LayerAllocation(budget, Pattern.unstructured(), first, last);
        long[] expected = DensityAllocation.of(LayerBudget.valueOf(budget.name()))
                .keepFirstDense(first).keepLastDense(last).keepCounts(model.shapes(), density);
        keepTopMagnitudes(allocation, model, density);
        assertArrayEquals(expected, nonzeros(model));
        if (first) {
            assertNull(model.mask(model.weight("fc1")));
            assertEquals(235_200, model.nonzeros(model.weight("fc1")));
        }
        if (last) {
            assertNull(model.mask(model.weight("fc3")));
            assertEquals(1_000, model.nonzeros(model.weight("fc3")));
        }
        assertNotNull(model.mask(model.weight("fc2")));
    }

    @Test
    void globalWithLastDense() {
        SparseModel model = lenet300(manager);
        float[][] before = magnitudes(model);
        keepTopMagnitudes(new LayerAllocation(Budget.GLOBAL, Pattern.unstructured(), false, true), model, 0.1);
        long[] counts = nonzeros(model);
        assertNull(model.mask(model.weight("fc3")));
        assertEquals(1_000, counts[2]);
        assertEquals(26_620, counts[0] + counts[1] + counts[2]);
        assertTopMagnitudes(model, before, List.of(0, 1));
    }

    @Test
    void globalDensityBelowTheDenseLayersIsRejected() {
        SparseModel model = lenet300(manager);
        LayerAllocation allocation = new LayerAllocation(Budget.GLOBAL, Pattern.unstructured(), true, false);
        List<NDArray> scores = Scores.magnitude(model);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> allocation.keepTopScores(model, scores, 0.1));
        assertEquals("density 0.1 is below what the layers kept dense need (235200 of 266200 weights)", e.getMessage());
    }

    @Test
    void budgetParse() {
        assertEquals(Budget.ERK, Budget.parse(" erk "));
        assertEquals(Budget.GLOBAL, Budget.parse("GLOBAL"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Budget.parse("random"));
        assertEquals("unknown layer budget 'random': expected one of uniform, er, erk, global", e.getMessage());
    }
}
