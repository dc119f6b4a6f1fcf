package org.prune4j.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;
import java.util.stream.Stream;

class DynamicBuildersTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of((Supplier<Object>) () -> GraNet.builder().build(), "granet: sparsity is required, in [0, 1)"),
                Arguments.of((Supplier<Object>) () -> GraNet.builder().sparsity(1.2).build(), "sparsity 1.2 is outside [0, 1)"),
                Arguments.of((Supplier<Object>) () -> GraNet.builder().sparsity(0.9).every(0).build(),
                        "update interval (steps) 0 must be at least 1"),
                Arguments.of((Supplier<Object>) () -> GraNet.builder().sparsity(0.9).dropRate(1.5).build(),
                        "drop rate 1.5 is outside (0, 1]"),
                Arguments.of((Supplier<Object>) () -> GraNet.builder().sparsity(0.9).minDropRate(0.6).build(),
                        "minimum drop rate 0.6 is outside [0, 0.5]"),
                Arguments.of((Supplier<Object>) () -> GraNet.st().sparsity(0.4).build(),
                        "initial sparsity 0.5 is above the final sparsity 0.4: expected <= 0.4"),
                Arguments.of((Supplier<Object>) () -> GraNet.builder().sparsity(0.9).initialSparsity(0.3).build(),
                        "granet initial sparsity 0.3 must be 0 (it starts dense); use GraNet.st() for a sparse start"),
                Arguments.of((Supplier<Object>) () -> GraNet.builder().sparsity(0.9).startEpoch(3).endEpoch(2).build(),
                        "end epoch 2.0 must be after the start epoch 3.0"),
                Arguments.of((Supplier<Object>) () -> DynamicSparse.rigl().sparsity(0.9).updateUntil(0).build(),
                        "update-until fraction 0.0 is outside (0, 1]"),
                Arguments.of((Supplier<Object>) () -> DynamicSparse.set().build(), "set: sparsity is required, in [0, 1)"),
                Arguments.of((Supplier<Object>) () -> Snip.builder().sparsity(0.9).batches(0).build(),
                        "snip batches 0 must be at least 1"),
                Arguments.of((Supplier<Object>) () -> LotteryTicket.builder().rounds(1).build(), "lth rounds 1 must be at least 2"),
                Arguments.of((Supplier<Object>) () -> LotteryTicket.builder().pruneFraction(1.0).build(),
                        "lth prune fraction 1.0 is outside (0, 1)"),
                Arguments.of((Supplier<Object>) () -> LotteryTicket.builder().rewindStep(-1).build(),
                        "lth rewind step -1 must be >= 0"),
                Arguments.of((Supplier<Object>) () -> LotteryTicket.builder().sparsity(0.9).pruneFraction(0.2).build(),
                        "lth: give either the sparsity (0.9) or the prune fraction (0.2), not both"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void buildRejectsBadValuesWithOneLine(Supplier<Object> build, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertEquals(message, e.getMessage());
    }

    @Test
    void defaultsFollowTheAuthors() {
        assertEquals("granet", GraNet.builder().sparsity(0.9).build().name());
        assertEquals("global unstructured", GraNet.builder().sparsity(0.9).build().allocation().toString());
        assertEquals("erk unstructured", DynamicSparse.rigl().sparsity(0.9).build().allocation().toString());
        assertEquals(0.5, GraNet.builder().sparsity(0.9).build().dropRates(10, 10).valueAt(0), 1e-12);
        assertEquals(0.005, GraNet.builder().sparsity(0.9).build().dropRates(10, 10).valueAt(100), 1e-12);
        assertEquals(0.9, LotteryTicket.builder().rounds(3).sparsity(0.9).build().targetSparsity(), 1e-12);
        assertEquals(1, Snip.builder().sparsity(0.9).build().batches());
        assertTrue(Methods.NAMES.containsAll(java.util.List.of("granet", "granet-st", "rigl", "set", "snip", "lth")));
        for (String name : Methods.NAMES) {
            if (!name.equals("pgap")) { // P-GaP is a runner, not a single-run method
                assertEquals(name, Methods.byName(name, 0.9).name());
            }
        }
    }

    @Test
    void lthNeedsAtLeastOneEpochPerRound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LotteryTicket.builder().rounds(4).build().roundStarts(10, 3));
        assertEquals("lth with 4 rounds needs at least 4 epochs, got 3", e.getMessage());
    }
}
