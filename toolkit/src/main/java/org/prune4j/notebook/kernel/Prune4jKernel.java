package org.prune4j.notebook.kernel;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;
import org.prune4j.notebook.JJavaRenderers;

/**
 * The Prune4J notebook kernel: Java cells run by JShell in the kernel's JVM, on the Jupyter protocol,
 * display and renderer API of the IJava line ({@code jjava-jupyter}). Prune4J's results render through
 * {@link JJavaRenderers}, as they do under a stock JJava.
 *
 * <p>JShell starts in the background as soon as the kernel object exists, so the kernel answers
 * {@code kernel_info} at once and the first cell waits only for what is left of JShell's start.
 */
public final class Prune4jKernel extends BaseKernel {

    private static final String VERSION = "0.1";

    private final CompletableFuture<CellEvaluator> evaluator;
    private final OutputPump output = new OutputPump();

    private Prune4jKernel(Renderer renderer) {
        super("Prune4J", VERSION,
                new LanguageInfo.Builder("java").version(Runtime.version().toString()).mimetype("text/x-java-source")
                        .fileExtension(".jshell").pygments("java").codemirror("java").build(),
                List.of(),
                null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), renderer,
                new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicTranspiler()), new MagicsRegistry(), false,
                new StringStyler.Builder().addPrimaryStyle(TextColor.BOLD_RESET_FG).addSecondaryStyle(TextColor.RESET_FG)
                        .build());
        JJavaRenderers.register(renderer);
        evaluator = CompletableFuture.supplyAsync(CellEvaluator::new);
    }

    /** A kernel whose JShell session is starting in the background. */
    public static Prune4jKernel create() {
        return new Prune4jKernel(new Renderer());
    }

    private CellEvaluator evaluator() {
        try {
            return evaluator.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while JShell was starting", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("JShell did not start: " + e.getCause(), e.getCause());
        }
    }

    /** As the base kernel, but the cell's prints reach Jupyter through the {@link OutputPump}. */
    @Override
    protected void replaceOutputStreams(ShellReplyEnvironment env) {
        super.replaceOutputStreams(env);
        System.setOut(new PrintStream(output.handOff(io.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(output.handOff(io.err), true, StandardCharsets.UTF_8));
    }

    /** Displays through the {@link OutputPump}: a cell calls this from its own thread ({@code show(x)}). */
    @Override
    public void display(DisplayData data) {
        output.run(() -> super.display(data));
    }

    @Override
    public Object evalRaw(String code) {
        return evaluator().eval(code);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<String> docs = evaluator().documentation(code, at);
        return docs.isEmpty() ? null : new DisplayData(String.join("\n\n", docs));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        CellEvaluator.Completions completions = evaluator().complete(code, at);
        return completions.options().isEmpty() ? null
                : new ReplacementOptions(completions.options(), completions.start(), at);
    }

    @Override
    public String isComplete(String code) {
        return switch (evaluator().completeness(code)) {
            case "complete" -> IS_COMPLETE_YES;
            case "incomplete" -> "";
            default -> IS_COMPLETE_BAD;
        };
    }

    /** Interrupts the running cell: a training stops before its next step (see {@link InProcessExecution}). */
    @Override
    public void interrupt() {
        if (evaluator.isDone() && !evaluator.isCompletedExceptionally()) {
            evaluator.join().interrupt();
        }
    }

    @Override
    public List<String> formatError(Throwable error) {
        if (!(error instanceof CellException cell)) {
            return super.formatError(error);
        }
        List<String> lines = new ArrayList<>();
        lines.add(errorStyler.primary(cell.getMessage()));
        for (StackTraceElement frame : cell.getStackTrace()) {
            lines.add(errorStyler.secondary("    at " + frame));
        }
        return lines;
    }

    @Override
    public void onShutdown(boolean restart) {
        if (evaluator.isDone() && !evaluator.isCompletedExceptionally()) {
            evaluator.join().close();
        }
        output.close();
    }

    @Override
    public String getBanner() {
        return "Prune4J kernel: Java " + Runtime.version() + " (JShell), train-time sparsification on DJL";
    }
}
