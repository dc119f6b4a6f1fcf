package org.prune4j.notebook.kernel;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Evaluates notebook cells with JShell, in process ({@link InProcessExecution}): splits a cell into
 * snippets, runs them in order, stops at the first that fails, and returns the value of the last one when it
 * is an expression. Everything on the kernel's class path is on the cells' class path.
 */
final class CellEvaluator implements AutoCloseable {

    private final InProcessExecution execution = new InProcessExecution();
    private final JShell shell;
    private final SourceCodeAnalysis analysis;

    /**
     * A JShell session with the kernel's class path and no imports of its own: a notebook imports what it uses, so
     * it runs the same under every kernel (and an import made after a variable's declaration can make JShell
     * recompile that variable, which resets a reference-typed one to null in process: notebooks import first).
     */
    CellEvaluator() {
        shell = JShell.builder().executionEngine(execution, Map.of()).build();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                shell.addToClasspath(entry);
            }
        }
        analysis = shell.sourceCodeAnalysis();
    }

    /**
     * Runs a cell.
     *
     * @return the value of the cell's last snippet if it is an expression, else null
     * @throws CellException if a snippet does not compile, throws, or the cell ends mid-statement
     */
    Object eval(String cell) {
        Object last = null;
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(cell);
        while (info.completeness().isComplete()) {
            last = evalSnippet(info.source());
            info = analysis.analyzeCompletion(info.remaining());
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
            throw new CellException("IncompleteCode", "the cell ends in the middle of a statement: "
                    + firstLine(info.remaining()), List.of());
        }
        return last;
    }

    private Object evalSnippet(String source) {
        List<SnippetEvent> events = shell.eval(source);
        Object value = null;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() == null && event.value() != null && isExpression(event.snippet())) {
                value = execution.take(event.value());
            }
        }
        execution.forgetValues();
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue;
            }
            if (event.exception() != null) {
                throw failure(event.exception());
            }
            if (!event.status().isDefined()) {
                throw compileError(event.snippet());
            }
        }
        return value;
    }

    private static boolean isExpression(Snippet snippet) {
        return switch (snippet.subKind()) {
            case VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND -> true;
            default -> false;
        };
    }

    private CellException compileError(Snippet snippet) {
        List<String> messages = shell.diagnostics(snippet)
                .filter(Diag::isError)
                .map(diag -> describe(snippet.source(), diag))
                .distinct()
                .collect(Collectors.toList());
        if (messages.isEmpty()) {
            // Defined-but-unusable snippets (e.g. a method that calls a missing one) have no error diagnostics.
            messages = shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) snippet)
                    .map(name -> "cannot find symbol: " + name).collect(Collectors.toList());
        }
        return new CellException("CompilationError", String.join("; ", messages), List.of());
    }

    private static String describe(String source, Diag diag) {
        // javac's message: a headline, then lines such as "symbol: method show(long)"; keep them on one line.
        String message = diag.getMessage(Locale.ROOT).lines().map(String::strip).filter(line -> !line.isEmpty())
                .collect(Collectors.joining(", "));
        int start = (int) Math.min(Math.max(0, diag.getStartPosition()), source.length());
        int lineStart = source.lastIndexOf('\n', start - 1) + 1;
        int lineEnd = source.indexOf('\n', start);
        String code = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd).strip();
        return message + " (at: " + (code.isEmpty() ? firstLine(source) : code) + ")";
    }

    private static CellException failure(JShellException exception) {
        if (exception instanceof EvalException thrown) {
            String type = thrown.getExceptionClassName();
            if ("java.lang.ThreadDeath".equals(type)) {
                return new CellException("Interrupted",
                        "the cell was stopped by force: it ignored the interrupt for "
                                + InProcessExecution.STOP_GRACE_SECONDS + " s", List.of());
            }
            return new CellException(type, thrown.getMessage(), userFrames(thrown.getStackTrace()));
        }
        if (exception instanceof UnresolvedReferenceException unresolved) {
            return new CellException("UnresolvedReference", "the cell uses a declaration that does not compile: "
                    + firstLine(unresolved.getSnippet().source()), List.of());
        }
        return new CellException(exception.getClass().getSimpleName(), exception.getMessage(), List.of());
    }

    // The frames below the snippet's own (reflection, the cell thread) say nothing to the notebook's reader.
    private static List<StackTraceElement> userFrames(StackTraceElement[] frames) {
        List<StackTraceElement> kept = new ArrayList<>();
        for (StackTraceElement frame : frames) {
            if (frame.getClassName().startsWith("jdk.internal.reflect")
                    || frame.getClassName().startsWith("java.lang.reflect")) {
                break;
            }
            kept.add(frame);
        }
        return kept;
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("");
    }

    /** Where a cell of this code is complete ({@code complete}, {@code incomplete} or {@code invalid}). */
    String completeness(String code) {
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            info = analysis.analyzeCompletion(info.remaining());
        }
        return switch (info.completeness()) {
            case EMPTY, COMPLETE, COMPLETE_WITH_SEMI -> "complete";
            case CONSIDERED_INCOMPLETE, DEFINITELY_INCOMPLETE -> "incomplete";
            default -> "invalid";
        };
    }

    /** Completions at the cursor: the replacement texts and where the replaced text starts. */
    Completions complete(String code, int cursor) {
        int[] anchor = new int[1];
        List<String> options = analysis.completionSuggestions(code, cursor, anchor).stream()
                .sorted((a, b) -> Boolean.compare(b.matchesType(), a.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .collect(Collectors.toList());
        return new Completions(options, anchor[0]);
    }

    /** The signatures and Javadoc of what is at the cursor, empty when nothing is known there. */
    List<String> documentation(String code, int cursor) {
        return analysis.documentation(code, cursor, true).stream()
                .map(doc -> doc.javadoc() == null ? doc.signature() : doc.signature() + "\n" + doc.javadoc())
                .collect(Collectors.toList());
    }

    /** Interrupts the running cell (see {@link InProcessExecution}). */
    void interrupt() {
        execution.interruptRunningCell();
    }

    @Override
    public void close() {
        shell.close();
    }

    /**
     * Completion candidates.
     *
     * @param options replacement texts, best first
     * @param start where the replaced text starts in the cell
     */
    record Completions(List<String> options, int start) {
    }
}
