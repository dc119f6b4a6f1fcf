package org.prune4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.prune4j.data.Datasets;
import org.prune4j.data.ImageData;
import org.prune4j.gap.CGap;
import org.prune4j.gap.GapSchedule;
import org.prune4j.orchestrate.PGap;
import org.prune4j.registry.MethodRegistry;
import org.prune4j.gap.Partitioning;
import org.prune4j.mask.Pattern;
import org.prune4j.method.Budget;
import org.prune4j.method.DynamicSparse;
import org.prune4j.method.GraNet;
import org.prune4j.method.Gmp;
import org.prune4j.method.LotteryTicket;
import org.prune4j.method.Pdp;
import org.prune4j.method.ResumableRandom;
import org.prune4j.method.Snip;
import org.prune4j.method.StaticMask;
import org.prune4j.nn.Models;
import org.prune4j.optim.LearningRate;
import org.prune4j.train.CheckpointInterval;
import org.prune4j.train.Devices;

import java.util.List;
import java.util.stream.Stream;

/**
 * Every builder and parser of the toolkit fed bad values: each answers with one line that names the bad
 * value and what is accepted (an {@link IllegalArgumentException} at {@code build()} or parse time).
 * Bad values that only a model can reveal (a pattern that does not divide a layer, more partitions than
 * layers) are in {@code train.FitTimeBadInputTest}; the command line's are in {@code cli.MainTest};
 * optimizer settings in {@code optim.OptimizersTest}; schedules in {@code schedule.SchedulesTest}.
 */
class BadInputTest {

    /** A call that must fail. */
    @FunctionalInterface
    interface Call {
        Object run();
    }

    private static Arguments bad(String message, Call call) {
        return Arguments.of(message, call);
    }

    static Stream<Arguments> builders() {
        return Stream.of(
                // sparsity outside [0, 1), or missing, for every method
                bad("sparsity 1.5 is outside [0, 1)", () -> Gmp.builder().sparsity(1.5).build()),
                bad("sparsity 1.0 is outside [0, 1)", () -> Gmp.builder().sparsity(1.0).build()),
                bad("sparsity -0.1 is outside [0, 1)", () -> Gmp.builder().sparsity(-0.1).build()),
                bad("sparsity NaN is outside [0, 1)", () -> Gmp.builder().sparsity(Double.NaN).build()),
                bad("gmp: sparsity is required, in [0, 1)", () -> Gmp.builder().build()),
                bad("sparsity 1.0 is outside [0, 1)", () -> StaticMask.builder().sparsity(1.0).build()),
                bad("static mask: sparsity is required, in [0, 1)", () -> StaticMask.builder().build()),
                bad("sparsity -0.5 is outside [0, 1)", () -> Pdp.builder().sparsity(-0.5).build()),
                bad("sparsity 1.2 is outside [0, 1)", () -> GraNet.builder().sparsity(1.2).build()),
                bad("granet: sparsity is required, in [0, 1)", () -> GraNet.builder().build()),
                bad("sparsity 2.0 is outside [0, 1)", () -> DynamicSparse.rigl().sparsity(2).build()),
                bad("set: sparsity is required, in [0, 1)", () -> DynamicSparse.set().build()),
                bad("sparsity 1.0 is outside [0, 1)", () -> Snip.builder().sparsity(1).build()),
                bad("sparsity 1.0 is outside [0, 1)", () -> LotteryTicket.builder().sparsity(1).build()),
                bad("lth sparsity 0.0 is outside (0, 1)", () -> LotteryTicket.builder().sparsity(0).build()),
                bad("cgap: sparsity is required, in [0, 1)", () -> CGap.builder().build()),
                bad("sparsity 1.0 is outside [0, 1)", () -> PGap.builder().sparsity(1).build()),
                bad("sparsity 1.5 is outside [0, 1)", () -> MethodRegistry.byName("gmp", 1.5)),
                // zero or negative intervals
                bad("pruning interval (steps) 0 must be at least 1", () -> Gmp.builder().sparsity(0.9).every(0).build()),
                bad("pruning interval (steps) -5 must be at least 1", () -> Gmp.builder().sparsity(0.9).every(-5).build()),
                bad("update interval (steps) 0 must be at least 1", () -> GraNet.builder().sparsity(0.9).every(0).build()),
                bad("update interval (steps) -1 must be at least 1", () -> DynamicSparse.rigl().sparsity(0.9).every(-1).build()),
                bad("threshold interval (steps) 0 must be at least 1", () -> Pdp.builder().sparsity(0.9).thresholdEvery(0).build()),
                bad("checkpoint interval '0s' is not Ne (epochs, N >= 1, like 2e), Ns (steps, N >= 1, like 500s) or off",
                        () -> CheckpointInterval.parse("0s")),
                bad("checkpoint interval '-2e' is not Ne (epochs, N >= 1, like 2e), Ns (steps, N >= 1, like 500s) or off",
                        () -> CheckpointInterval.parse("-2e")),
                bad("checkpoint interval 'often' is not Ne (epochs, N >= 1, like 2e), Ns (steps, N >= 1, like 500s) or off",
                        () -> CheckpointInterval.parse("often")),
                bad("checkpoint interval 0 steps is outside [1, inf)", () -> CheckpointInterval.steps(0)),
                bad("checkpoint interval -1 epochs is outside [1, inf)", () -> CheckpointInterval.epochs(-1)),
                // GMP
                bad("end epoch 2.0 must be after the start epoch 2.0", () -> Gmp.builder().sparsity(0.9).startEpoch(2).endEpoch(2).build()),
                bad("start epoch -1.0 must be a finite number >= 0", () -> Gmp.builder().sparsity(0.9).startEpoch(-1).build()),
                bad("initial sparsity 0.6 is above the final sparsity 0.5: expected <= 0.5",
                        () -> Gmp.builder().sparsity(0.5).initialSparsity(0.6).build()),
                bad("initial sparsity -0.1 is outside [0, 1)", () -> Gmp.builder().sparsity(0.5).initialSparsity(-0.1).build()),
                bad("schedule power 0.0 must be a finite number > 0", () -> Gmp.builder().sparsity(0.5).power(0).build()),
                bad("schedule power Infinity must be a finite number > 0",
                        () -> Gmp.builder().sparsity(0.5).power(Double.POSITIVE_INFINITY).build()),
                bad("gmp: budget and pattern must not be null", () -> Gmp.builder().sparsity(0.5).budget(null).build()),
                // GraNet, RigL, SET, SNIP, lottery tickets
                bad("drop rate 1.5 is outside (0, 1]", () -> GraNet.builder().sparsity(0.9).dropRate(1.5).build()),
                bad("drop rate 0.0 is outside (0, 1]", () -> DynamicSparse.set().sparsity(0.9).dropRate(0).build()),
                bad("minimum drop rate 0.6 is outside [0, 0.5]", () -> GraNet.builder().sparsity(0.9).minDropRate(0.6).build()),
                bad("initial sparsity 0.5 is above the final sparsity 0.4: expected <= 0.4", () -> GraNet.st().sparsity(0.4).build()),
                bad("granet initial sparsity 0.3 must be 0 (it starts dense); use GraNet.st() for a sparse start",
                        () -> GraNet.builder().sparsity(0.9).initialSparsity(0.3).build()),
                bad("granet-st initial sparsity 0.0 must be in (0, 0.9]", () -> GraNet.st().sparsity(0.9).initialSparsity(0).build()),
                bad("end epoch 2.0 must be after the start epoch 3.0", () -> GraNet.builder().sparsity(0.9).startEpoch(3).endEpoch(2).build()),
                bad("granet: budget global needs the unstructured pattern, got 2:4",
                        () -> GraNet.builder().sparsity(0.5).pattern(Pattern.nOfM(2, 4)).build()),
                bad("update-until fraction 0.0 is outside (0, 1]", () -> DynamicSparse.rigl().sparsity(0.9).updateUntil(0).build()),
                bad("update-until fraction 1.5 is outside (0, 1]", () -> DynamicSparse.rigl().sparsity(0.9).updateUntil(1.5).build()),
                bad("snip batches 0 must be at least 1", () -> Snip.builder().sparsity(0.9).batches(0).build()),
                bad("lth rounds 1 must be at least 2", () -> LotteryTicket.builder().rounds(1).build()),
                bad("lth prune fraction 1.0 is outside (0, 1)", () -> LotteryTicket.builder().pruneFraction(1.0).build()),
                bad("lth rewind step -1 must be >= 0", () -> LotteryTicket.builder().rewindStep(-1).build()),
                bad("lth: give either the sparsity (0.9) or the prune fraction (0.2), not both",
                        () -> LotteryTicket.builder().sparsity(0.9).pruneFraction(0.2).build()),
                // PDP
                bad("pdp: tau 0.0 must be a finite number > 0", () -> Pdp.builder().sparsity(0.9).tau(0).build()),
                bad("pdp: tau NaN must be a finite number > 0", () -> Pdp.builder().sparsity(0.9).tau(Double.NaN).build()),
                bad("pdp: ramp eps 2.0 must be in (0, 1]", () -> Pdp.builder().sparsity(0.9).eps(2).build()),
                bad("warm-up epochs -1.0 must be a finite number >= 0", () -> Pdp.builder().sparsity(0.9).warmupEpochs(-1).build()),
                bad("fine-tune epochs -2.0 must be a finite number >= 0", () -> Pdp.builder().sparsity(0.9).fineTuneEpochs(-2).build()),
                bad("pdp: pattern block:2x2 is not supported: expected unstructured, N:M or channel",
                        () -> Pdp.builder().sparsity(0.9).pattern(Pattern.block(2, 2)).build()),
                bad("pdp: the 2:4 pattern fixes the sparsity at 0.5, got sparsity 0.9",
                        () -> Pdp.builder().sparsity(0.9).pattern(Pattern.nOfM(2, 4)).build()),
                // GaP: partitions, steps, rounds, fine-tune, workers
                bad("partitions 0 must be at least 1", () -> CGap.builder().sparsity(0.9).partitions(0).build()),
                bad("step epochs 0 must be at least 1", () -> CGap.builder().sparsity(0.9).stepEpochs(0).build()),
                bad("rounds 0 must be at least 1", () -> CGap.builder().sparsity(0.9).rounds(0).build()),
                bad("fine-tune epochs -1 must be at least 0", () -> PGap.builder().sparsity(0.9).finetuneEpochs(-1).build()),
                bad("rounds -3 must be at least 1", () -> new GapSchedule(1, 1, -3, 0)),
                bad("unknown executor 'threads': expected local, processes, processes:N or spark://HOST:PORT",
                        () -> { org.prune4j.exec.TrainingExecutors.check("threads"); return null; }),
                bad("unknown partitioning 'stripes': expected contiguous, balanced or random", () -> Partitioning.parse("stripes")),
                // patterns: N >= M, zero sizes, unknown forms
                bad("N:M pattern 4:4 needs 1 <= N < M", () -> Pattern.nOfM(4, 4)),
                bad("N:M pattern 5:4 needs 1 <= N < M", () -> Pattern.parse("5:4")),
                bad("N:M pattern 0:4 needs 1 <= N < M", () -> Pattern.parse("0:4")),
                bad("block pattern 0x4 needs tiles of at least 1x1", () -> Pattern.parse("block:0x4")),
                bad("unknown pattern 'rows': expected unstructured, N:M (such as 2:4), channel, block:BxK (such as block:4x4)",
                        () -> Pattern.parse("rows")),
                bad("unknown layer budget 'wide': expected one of uniform, er, erk, global", () -> Budget.parse("wide")),
                // names: models, datasets, methods, devices
                bad("unknown model 'resnet99': expected one of lenet300, mlp2048, lenet5, lenet5-caffe, resnet20, resnet32, vgg-small, bert-tiny",
                        () -> Models.byName("resnet99", 10)),
                bad("unknown dataset 'svhn': accepted names are mnist, fashion-mnist, cifar10, imdb", () -> Datasets.load("svhn")),
                bad("unknown method 'magic': expected one of " + String.join(", ", MethodRegistry.NAMES), () -> MethodRegistry.byName("magic", 0.5)),
                bad("unknown device 'tpu': expected auto, cpu, gpu or gpu:N", () -> Devices.parse("tpu")),
                bad("unknown device 'gpu:x': expected auto, cpu, gpu or gpu:N", () -> Devices.parse("gpu:x")),
                // learning rates, data, random state
                bad("learning rate -0.1 must be a positive finite number",
                        () -> new LearningRate(LearningRate.Kind.CONSTANT, -0.1, 0.1, new int[0], 0)),
                bad("learning-rate drop factor 1.5 is outside (0, 1]",
                        () -> new LearningRate(LearningRate.Kind.MULTI_STEP, 0.1, 1.5, new int[] {2}, 0)),
                bad("subset size n = 0 must be in [1, 2]",
                        () -> ImageData.of("x", 1, 1, 1, 2, new float[2], new int[] {0, 1}).subset(0)),
                bad("labels[1] = 5 must be in [0, 1]", () -> ImageData.of("x", 1, 1, 1, 2, new float[2], new int[] {0, 5})),
                bad("random state [1, 2, 0] is not [48-bit seed, 0|1, gaussian bits]", () -> {
                    new ResumableRandom(1).restore(new long[] {1, 2, 0});
                    return null;
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builders")
    void aBadValueIsAnsweredWithOneLineNamingItAndTheAcceptedRange(String message, Call call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertEquals(message, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** Every method the command line offers rejects a sparsity of 1 with the same line. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("methodNames")
    void everyMethodNeedsASparsityInRange(String name) {
        if (name.equals("dense") || name.equals("pgap")) {
            return; // dense has no sparsity; P-GaP is a runner (its builder is in the table)
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MethodRegistry.byName(name, 1.0));
        assertEquals("sparsity 1.0 is outside [0, 1)", e.getMessage());
    }

    static List<String> methodNames() {
        return MethodRegistry.NAMES;
    }
}
