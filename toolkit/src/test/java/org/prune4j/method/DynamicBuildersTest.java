package org.prune4j.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;


/** Defaults of the dynamic methods; their bad settings are in {@code org.prune4j.BadInputTest}. */
class DynamicBuildersTest {

    @Test
    void defaultsFollowTheAuthors() {
        assertEquals("granet", GraNet.builder().sparsity(0.9).build().name());
        assertEquals("global unstructured", GraNet.builder().sparsity(0.9).build().allocation().toString());
        assertEquals("erk unstructured", DynamicSparse.rigl().sparsity(0.9).build().allocation().toString());
        assertEquals(0.5, GraNet.builder().sparsity(0.9).build().dropRates(10, 10).valueAt(0), 1e-12);
        assertEquals(0.005, GraNet.builder().sparsity(0.9).build().dropRates(10, 10).valueAt(100), 1e-12);
        assertEquals(0.9, LotteryTicket.builder().rounds(3).sparsity(0.9).build().targetSparsity(), 1e-12);
        assertEquals(1, Snip.builder().sparsity(0.9).build().batches());
    }

    @Test
    void lthNeedsAtLeastOneEpochPerRound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LotteryTicket.builder().rounds(4).build().roundStarts(10, 3));
        assertEquals("lth with 4 rounds needs at least 4 epochs, got 3", e.getMessage());
    }
}
