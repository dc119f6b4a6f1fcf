package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.prune4j.data.DataSplit;
import org.prune4j.gap.CGap;
import org.prune4j.gap.Partitioning;
import org.prune4j.method.DynamicSparse;
import org.prune4j.method.GraNet;
import org.prune4j.method.Gmp;
import org.prune4j.method.LotteryTicket;
import org.prune4j.method.Methods;
import org.prune4j.method.Pdp;
import org.prune4j.method.Snip;
import org.prune4j.method.SparsityMethod;
import org.prune4j.method.StaticMask;
import org.prune4j.optim.Optimizers;
import org.prune4j.report.EpochStats;
import org.prune4j.report.Run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A run stopped after a checkpoint and resumed equals the uninterrupted run: same history (but wall
 * seconds), same per-layer counts, bit-identical final parameters, for every method that keeps state.
 */
class ResumeTest {

    private static final DataSplit DATA = TinyTraining.data(256, 64); // batch 16: 16 steps per epoch

    /** Thrown from the progress callback: the run dies between two steps, as a killed process would. */
    private static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    private static Progress crashAfter(long step) {
        return new Progress() {
            @Override
            public void step(int epoch, int epochs, int stepInEpoch, int stepsPerEpoch) {
                if ((long) epoch * stepsPerEpoch + stepInEpoch == step) {
                    throw new Crash();
                }
            }

            @Override
            public void epoch(int epoch, int epochs, double loss, double trainAccuracy, double testAccuracy,
                    double sparsity, double seconds) {}
        };
    }

    static Stream<Arguments> runs() {
        return Stream.of(
                // method, epochs, checkpoint interval, crash after step (its checkpoint is earlier)
                Arguments.of("dense", (Supplier<SparsityMethod>) Methods::dense, 3, "5s", 23),
                Arguments.of("static", (Supplier<SparsityMethod>) () -> StaticMask.builder().sparsity(0.7).build(), 3, "1e", 40),
                Arguments.of("gmp", (Supplier<SparsityMethod>) () -> Gmp.builder().sparsity(0.8).every(4).build(), 4, "7s", 30),
                Arguments.of("granet", (Supplier<SparsityMethod>) () -> GraNet.builder().sparsity(0.8).every(4).build(), 4, "5s", 27),
                Arguments.of("granet-st", (Supplier<SparsityMethod>) () -> GraNet.st().sparsity(0.8).every(4).build(), 4, "1e", 37),
                Arguments.of("rigl", (Supplier<SparsityMethod>) () -> DynamicSparse.rigl().sparsity(0.8).every(3).build(), 3, "4s", 22),
                Arguments.of("set", (Supplier<SparsityMethod>) () -> DynamicSparse.set().sparsity(0.8).every(3).build(), 3, "4s", 22),
                // Mid-scoring: the checkpoint at step 2 holds SNIP's partial sums over 2 of 3 batches.
                Arguments.of("snip", (Supplier<SparsityMethod>) () -> Snip.builder().sparsity(0.8).batches(3).build(), 2, "2s", 5),
                Arguments.of("lth", (Supplier<SparsityMethod>) () -> LotteryTicket.builder().sparsity(0.7).build(), 3, "5s", 28),
                Arguments.of("lth-rewind", (Supplier<SparsityMethod>) () -> LotteryTicket.builder().sparsity(0.7).rewindStep(3).build(),
                        3, "5s", 12),
                Arguments.of("pdp", (Supplier<SparsityMethod>) () -> Pdp.builder().sparsity(0.8).warmupEpochs(1).fineTuneEpochs(1).build(),
                        4, "6s", 40),
                Arguments.of("cgap", (Supplier<SparsityMethod>) () -> CGap.builder().sparsity(0.8).partitions(3).stepEpochs(1).rounds(2)
                        .partitioning(Partitioning.random()).finetuneEpochs(1).build(), 7, "1e", 70));
    }

    private static SparseTraining training(SparsityMethod method, int epochs) {
        return TinyTraining.of(DATA).method(method).epochs(epochs).seed(5)
                .optimizer(Optimizers.sgd().lr(0.05).momentum(0.9).weightDecay(5e-4).cosineLr());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void aResumedRunEqualsTheUninterruptedOne(String name, Supplier<SparsityMethod> method, int epochs, String every,
            long crashStep, @TempDir Path dir) throws Exception {
        Path reference = dir.resolve("reference");
        Run expected = training(method.get(), epochs).saveModelTo(reference).fit();

        Path run = dir.resolve("run");
        SparseTraining first = training(method.get(), epochs).saveModelTo(run).checkpointTo(run).checkpointEvery(every)
                .progress(crashAfter(crashStep));
        assertThrows(Crash.class, first::fit);
        assertTrue(Files.exists(run.resolve(SparseTraining.CHECKPOINT_FILE)));
        assertTrue(Files.readString(run.resolve("summary.json")).contains("\"partial\": true"));

        Run resumed = training(method.get(), epochs).saveModelTo(run).resumeFrom(run).fit();

        assertEquals(withoutSeconds(expected.historyRows()), withoutSeconds(resumed.historyRows()));
        assertEquals(expected.layerRows(), resumed.layerRows());
        assertEquals(expected.steps(), resumed.steps());
        assertArrayEquals(Files.readAllBytes(reference.resolve("model.params")), Files.readAllBytes(run.resolve("model.params")),
                "final parameters differ");
        assertTrue(Files.readString(run.resolve("summary.json")).contains("\"partial\": false"));
        // A summary that says the run is finished comes with the finished run's charts.
        assertTrue(Files.exists(run.resolve("training.png")) && Files.exists(run.resolve("layers.png")), "charts missing");
    }

    private static List<List<Double>> withoutSeconds(List<EpochStats> rows) {
        return rows.stream().map(r -> List.of((double) r.epoch(), r.loss(), r.trainAccuracy(), r.testAccuracy(), r.sparsity(),
                r.learningRate())).toList();
    }
}
