package org.prune4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;


import org.junit.jupiter.api.Test;
import org.prune4j.ManagedTest;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.util.Arrays;

class StaticMaskTest extends ManagedTest {

    private float[][] masksFor(StaticMask method, long seed) {
        SparseModel model = LayerAllocationTest.lenet300(manager);
        method.onStart(new FakeContext(model, 10, 2, seed));
        float[][] out = new float[3][];
        for (MaskedWeight w : model.weights()) {
            out[w.index()] = model.mask(w) == null ? null : model.mask(w).toFloatArray();
        }
        return out;
    }

    @Test
    void sameSeedSameMasksOtherSeedOtherMasks() {
        StaticMask method = StaticMask.builder().sparsity(0.9).build();
        float[][] first = masksFor(method, 7);
        float[][] again = masksFor(method, 7);
        float[][] other = masksFor(method, 8);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(first[l], again[l], "layer " + l);
            assertFalse(Arrays.equals(first[l], other[l]), "layer " + l);
        }
        // ERK at density 0.1 makes the classifier dense.
        assertNull(first[2]);
    }

    @Test
    void exactErkCountsAndTheWeightsAreMasked() {
        SparseModel model = LayerAllocationTest.lenet300(manager);
        StaticMask method = StaticMask.builder().sparsity(0.9).build();
        method.onStart(new FakeContext(model, 10, 2, 1));
        long[] nonzeros = model.weights().stream().mapToLong(model::nonzeros).toArray();
        assertArrayEquals(new long[] {18_714, 6_906, 1_000}, nonzeros);
        assertEquals(18_714f, model.mask(model.weight("fc1")).sum().getFloat());
        assertEquals(1 - 26_620.0 / 266_200, model.sparsity(), 1e-15);
    }

    @Test
    void uniformCounts() {
        SparseModel model = LayerAllocationTest.lenet300(manager);
        StaticMask method = StaticMask.builder().sparsity(0.75).budget(Budget.UNIFORM).keepLastDense(true).build();
        method.onStart(new FakeContext(model, 10, 2, 3));
        long[] nonzeros = model.weights().stream().mapToLong(model::nonzeros).toArray();
        long[] expected = method.allocation().keepCounts(model, 0.25);
        assertArrayEquals(expected, nonzeros);
        assertEquals(1_000, nonzeros[2]);
        assertEquals(Math.round(0.25 * 266_200), Arrays.stream(nonzeros).sum());
    }

    // Bad sparsities: org.prune4j.BadInputTest.
}
