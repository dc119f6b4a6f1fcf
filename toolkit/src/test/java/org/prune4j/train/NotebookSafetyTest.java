package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prune4j.data.DataSplit;
import org.prune4j.method.DynamicSparse;
import org.prune4j.method.Gmp;
import org.prune4j.method.LotteryTicket;
import org.prune4j.method.Pdp;
import org.prune4j.method.SparsityMethod;
import org.prune4j.method.TrainingContext;
import org.prune4j.model.MaskedWeight;
import org.prune4j.nn.WeightTransform;
import org.prune4j.report.Run;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a notebook does to a training in one JVM: run the same cell twice, interrupt a cell, hit an
 * exception inside a step. Afterwards the next training works and equals a fresh one, and no DJL array
 * is left open.
 */
class NotebookSafetyTest {

    private static final DataSplit DATA = TinyTraining.data(256, 64);

    private static SparseTraining cell(SparsityMethod method) {
        return TinyTraining.of(DATA).method(method).epochs(3).seed(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gmp", "rigl", "lth", "pdp"})
    void runningTheSameCellTwiceGivesTheSameRun(String name) {
        SparsityMethod method = switch (name) {
            case "gmp" -> Gmp.builder().sparsity(0.8).every(4).build();
            case "rigl" -> DynamicSparse.rigl().sparsity(0.8).every(4).build();
            case "lth" -> LotteryTicket.builder().sparsity(0.7).rewindStep(2).build();
            default -> Pdp.builder().sparsity(0.8).warmupEpochs(1).fineTuneEpochs(1).build();
        };
        SparseTraining cell = cell(method);
        int before = MemoryProbe.liveArrays();

        Run first = cell.fit();
        Run second = cell.fit();

        assertEquals(first.historyRows().stream().map(r -> r.loss()).toList(),
                second.historyRows().stream().map(r -> r.loss()).toList());
        assertEquals(first.layerRows(), second.layerRows());
        assertEquals(before, MemoryProbe.liveArrays(), "arrays left open by two runs");
    }

    /**
     * A Java kernel interrupts a cell by interrupting its thread (the Prune4J kernel, and JJava's
     * {@code Future.cancel(true)}), which returns at once: the next cell may start while the interrupted one is
     * still inside its last step. Here a thread pool plays the kernel.
     */
    @Test
    void anInterruptedCellStopsPromptlyFreesEverythingAndTheNextCellWorks() throws Exception {
        Run expected = cell(Gmp.builder().sparsity(0.8).every(4).build()).fit();
        int before = MemoryProbe.liveArrays();
        ExecutorService kernel = Executors.newCachedThreadPool();
        try {
            CountDownLatch running = new CountDownLatch(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            SparseTraining endless = TinyTraining.of(DATA).method(Gmp.builder().sparsity(0.8).every(4).build()).epochs(10_000)
                    .seed(4).progress(new Progress() {
                        @Override
                        public void step(int epoch, int epochs, int stepInEpoch, int stepsPerEpoch) {
                            if (epoch == 1) {
                                running.countDown();
                            }
                        }

                        @Override
                        public void epoch(int epoch, int epochs, double loss, double trainAccuracy, double testAccuracy,
                                double sparsity, double seconds) {}
                    });
            Future<Run> interrupted = kernel.submit(() -> {
                try {
                    return endless.fit();
                } catch (Throwable t) {
                    thrown.set(t);
                    throw t;
                }
            });
            assertTrue(running.await(2, TimeUnit.MINUTES));
            interrupted.cancel(true);
            assertThrows(CancellationException.class, interrupted::get);

            // The next cell starts at once, as after a kernel interrupt, while the old thread finishes its step.
            Run next = cell(Gmp.builder().sparsity(0.8).every(4).build()).fit();

            assertEquals(expected.historyRows().stream().map(r -> r.loss()).toList(),
                    next.historyRows().stream().map(r -> r.loss()).toList());
            assertEquals(expected.layerRows(), next.layerRows());
            kernel.shutdown();
            assertTrue(kernel.awaitTermination(1, TimeUnit.MINUTES), "the interrupted training did not stop");
            TrainingInterruptedException stop = assertInstanceOf(TrainingInterruptedException.class, thrown.get());
            assertTrue(stop.getMessage().startsWith("training interrupted after step "), stop.getMessage());
            assertEquals(before, MemoryProbe.liveArrays(), "arrays left open by the interrupted training");
        } finally {
            kernel.shutdownNow();
        }
    }

    @Test
    void anInterruptFlagSetBeforeTheCellStopsItAtTheFirstStepAndIsCleared() {
        int before = MemoryProbe.liveArrays();
        Thread.currentThread().interrupt();
        TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class,
                () -> cell(Gmp.builder().sparsity(0.8).build()).fit());
        assertEquals("training interrupted after step 0 (epoch 1)", e.getMessage());
        assertFalse(Thread.currentThread().isInterrupted(), "like InterruptedException, the flag is cleared");
        assertEquals(before, MemoryProbe.liveArrays());
        assertEquals(3, cell(Gmp.builder().sparsity(0.8).build()).fit().historyRows().size());
    }

    /** A method that fails inside the forward pass (within the GradientCollector) at one step. */
    private static final class FailingTransform implements SparsityMethod, WeightTransform {
        private final long failAt;
        private long forwards;

        FailingTransform(long failAt) {
            this.failAt = failAt;
        }

        @Override
        public String name() {
            return "failing";
        }

        @Override
        public double targetSparsity() {
            return 0;
        }

        @Override
        public void onStart(TrainingContext context) {
            forwards = 0;
        }

        @Override
        public NDArray apply(MaskedWeight layer, NDArray weight, boolean training) {
            if (training && layer.index() == 1 && ++forwards == failAt) {
                throw new IllegalStateException("boom inside the forward pass");
            }
            return weight;
        }
    }

    /** A method that fails between backward and the optimizer step. */
    private static final class FailingHook implements SparsityMethod {
        @Override
        public String name() {
            return "failing-hook";
        }

        @Override
        public double targetSparsity() {
            return 0;
        }

        @Override
        public void afterBackward(TrainingContext context) {
            if (context.step() == 5) {
                throw new IllegalStateException("boom after backward");
            }
        }
    }

    /** A method that masks a layer, then fails, in its start hook (inside the session's constructor). */
    private static final class FailingStart implements SparsityMethod {
        @Override
        public String name() {
            return "failing-start";
        }

        @Override
        public double targetSparsity() {
            return 0;
        }

        @Override
        public void onStart(TrainingContext context) {
            MaskedWeight first = context.model().weights().get(0);
            context.model().setMask(first, context.model().values(first).zerosLike());
            throw new IllegalStateException("boom in onStart");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"forward", "afterBackward", "onStart"})
    void anExceptionInsideAStepClosesTheCollectorAndEveryArrayAndTheNextTrainingWorks(String where) {
        Run expected = cell(Gmp.builder().sparsity(0.8).every(4).build()).fit();
        int before = MemoryProbe.liveArrays();
        SparsityMethod failing = switch (where) {
            case "forward" -> new FailingTransform(5);
            case "afterBackward" -> new FailingHook();
            default -> new FailingStart();
        };

        RuntimeException e = assertThrows(RuntimeException.class, () -> cell(failing).fit());
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());

        assertEquals(before, MemoryProbe.liveArrays(), "arrays left open by the failed training");
        Run next = cell(Gmp.builder().sparsity(0.8).every(4).build()).fit();
        assertEquals(expected.layerRows(), next.layerRows());
        assertEquals(expected.historyRows().stream().map(r -> r.loss()).toList(),
                next.historyRows().stream().map(r -> r.loss()).toList());
    }

    @Test
    void aFailedTrainingDoesNotLeakThroughExecutionExceptionEither() throws Exception {
        ExecutorService kernel = Executors.newSingleThreadExecutor();
        try {
            Future<Run> failed = kernel.submit(() -> cell(new FailingHook()).fit());
            ExecutionException e = assertThrows(ExecutionException.class, failed::get);
            assertEquals("boom after backward", e.getCause().getMessage());
        } finally {
            kernel.shutdownNow();
        }
        assertEquals(3, cell(Gmp.builder().sparsity(0.8).build()).fit().historyRows().size());
    }
}
