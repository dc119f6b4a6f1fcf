package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.prune4j.data.DataSplit;
import org.prune4j.gap.CGap;
import org.prune4j.mask.Pattern;
import org.prune4j.method.Gmp;
import org.prune4j.method.LotteryTicket;
import org.prune4j.method.Pdp;
import org.prune4j.method.Snip;
import org.prune4j.method.StaticMask;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Bad settings that only the model or the run's length reveal, caught when training starts: one line naming
 * the value (and the layer and its shape) and what is accepted, and nothing written into the run's folder.
 * The tiny MLP's maskable weights are 32x36, 16x32 and 4x16; 256 images at batch 16 make 16 steps per epoch.
 */
class FitTimeBadInputTest {

    private static final DataSplit DATA = TinyTraining.data(256, 64);

    private static Arguments bad(String message, UnaryOperator<SparseTraining> settings) {
        return Arguments.of(message, settings);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                bad("layer 'fc1' of shape (32, 36): fan-in 36 is not a multiple of M=5 for the 2:5 pattern",
                        t -> t.method(StaticMask.builder().pattern(Pattern.nOfM(2, 5)).sparsity(0.6).build())),
                bad("layer 'fc1' of shape (32, 36) (2-D view 32x36) is not tiled by 5x5 blocks:"
                        + " expected rows divisible by 5 and a fan-in divisible by 5",
                        t -> t.method(Gmp.builder().pattern(Pattern.block(5, 5)).sparsity(0.5).build())),
                bad("partitions 4 exceed the 3 maskable layers: expected 1 to 3",
                        t -> t.method(CGap.builder().sparsity(0.8).partitions(4).build()).epochs(4)),
                bad("cgap schedule needs K*T*R + F = 3*1*1 + 0 = 3 epochs, the run has 5",
                        t -> t.method(CGap.builder().sparsity(0.8).build()).epochs(5)),
                bad("pdp: 2 warm-up and 2 fine-tune epochs leave no pruning epoch in a run of 3: expected warm-up + fine-tune < 3",
                        t -> t.method(Pdp.builder().sparsity(0.8).warmupEpochs(2).fineTuneEpochs(2).build())),
                bad("lth with 4 rounds needs at least 4 epochs, got 3", t -> t.method(LotteryTicket.builder().rounds(4).build())),
                bad("lth rewind step 16 is not before the end of the first round: expected < 16",
                        t -> t.method(LotteryTicket.builder().rounds(3).rewindStep(16).build())),
                bad("snip batches 100 is more than the run's 48 steps", t -> t.method(Snip.builder().sparsity(0.8).batches(100).build())),
                bad("GMP end epoch 9.0 is after the last epoch: expected <= 3", t -> t.method(Gmp.builder().sparsity(0.8).endEpoch(9).build())),
                bad("epochs 0 must be at least 1", t -> t.epochs(0)),
                bad("batch size 0 is outside [1, 256]", t -> t.batchSize(0)),
                bad("batch size 300 is outside [1, 256]", t -> t.batchSize(300)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBadSettingStopsTheRunBeforeItWritesAnything(String message, UnaryOperator<SparseTraining> settings, @TempDir Path dir)
            throws IOException {
        SparseTraining training = settings.apply(TinyTraining.of(DATA).epochs(3).seed(1).checkpointTo(dir).saveModelTo(dir));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, training::fit);

        assertEquals(message, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.findAny().isEmpty(), "nothing may be written");
        }
    }
}
