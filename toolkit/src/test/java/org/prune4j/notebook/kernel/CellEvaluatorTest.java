package org.prune4j.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The kernel's cell evaluation, without Jupyter: values, failures, interrupts, completion. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CellEvaluatorTest {

    private static CellEvaluator cells;

    @BeforeAll
    static void startJShell() {
        cells = new CellEvaluator();
    }

    @AfterAll
    static void stopJShell() {
        cells.close();
    }

    @Test
    void aCellEndingInAnExpressionGivesItsValueAsAnObject() {
        assertNull(cells.eval("int base = 20;"));
        Object value = cells.eval("int twice = base * 2;\njava.util.List.of(base, twice + 2)");
        assertEquals(List.of(20, 42), value, "earlier cells are visible");
        assertNull(cells.eval("if (base > 0) base = base + 1;"), "a statement shows nothing");
        assertEquals(21, cells.eval("base"));
    }

    @Test
    void theToolkitOnTheKernelsClassPathIsOnTheCellsClassPath() {
        Object value = cells.eval("org.prune4j.notebook.Notebook.text(java.util.List.of(\"a\"))");
        assertEquals("[a]", value);
        // The same class, not a copy from another loader: the kernel's display state is shared with cells.
        assertEquals(org.prune4j.notebook.Notebook.class, cells.eval("org.prune4j.notebook.Notebook.class"));
    }

    @Test
    void aThrowingCellNamesTheExceptionAndItsMessage() {
        CellException failure = assertThrows(CellException.class,
                () -> cells.eval("int answer = 41;\nif (answer != 42) throw new IllegalStateException(\"answer is \" + answer);"));
        assertEquals("java.lang.IllegalStateException", failure.kind());
        assertEquals("java.lang.IllegalStateException: answer is 41", failure.getMessage());
    }

    @Test
    void aCellThatDoesNotCompileSaysWhatAndWhere() {
        CellException failure = assertThrows(CellException.class, () -> cells.eval("int n = undefinedThing + 1;"));
        assertEquals("CompilationError", failure.kind());
        assertTrue(failure.getMessage().contains("cannot find symbol") && failure.getMessage().contains("undefinedThing")
                && failure.getMessage().contains("int n = undefinedThing + 1;"), failure.getMessage());
    }

    @Test
    void aCellEndingMidStatementIsRejected() {
        CellException failure = assertThrows(CellException.class, () -> cells.eval("int k = Math.max(1,"));
        assertEquals("IncompleteCode", failure.kind());
        assertEquals("incomplete", cells.completeness("for (int i = 0; i < 3; i++) {"));
        assertEquals("complete", cells.completeness("int i = 0;"));
    }

    @Test
    void anInterruptStopsACellThatWaitsAndTheNextCellRuns() throws Exception {
        CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> cells.eval("Thread.sleep(60_000);"));
        interruptOnceRunning();
        CellException failure = awaitFailure(running, 20);
        assertEquals("java.lang.InterruptedException", failure.kind());
        assertEquals(7, cells.eval("3 + 4"));
    }

    @Test
    void aBusyLoopThatIgnoresTheInterruptIsStoppedByForceOnThisJdk() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() < 20, "Thread.stop is gone after JDK 19");
        CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> cells.eval("while (true) { }"));
        long started = interruptOnceRunning();
        CellException failure = awaitFailure(running, 30);
        assertEquals("Interrupted", failure.kind());
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(seconds >= InProcessExecution.STOP_GRACE_SECONDS - 0.5, "stopped after the grace: " + seconds);
        assertEquals("ok", cells.eval("\"ok\""));
    }

    @Test
    void completionAndDocumentationComeFromJShell() {
        CellEvaluator.Completions completions = cells.complete("Math.abs", 8);
        assertTrue(completions.options().contains("abs("), completions.options().toString());
        assertEquals(5, completions.start());
        assertTrue(cells.documentation("Math.abs(", 9).stream().anyMatch(doc -> doc.contains("abs(int")),
                cells.documentation("Math.abs(", 9).toString());
    }

    private static CellException awaitFailure(CompletableFuture<Object> cell, int seconds) {
        return assertThrows(CellException.class, () -> {
            try {
                cell.get(seconds, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause();
            }
        });
    }

    // Interrupts once the cell thread is inside the snippet's code (JShell compiles first); returns when it did.
    private static long interruptOnceRunning() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!snippetRunning() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long interrupted = System.nanoTime();
        cells.interrupt();
        return interrupted;
    }

    private static boolean snippetRunning() {
        return Thread.getAllStackTraces().entrySet().stream()
                .anyMatch(entry -> entry.getKey().getName().startsWith("prune4j-cell-")
                        && java.util.Arrays.stream(entry.getValue()).anyMatch(f -> f.getClassName().startsWith("REPL.")));
    }
}
