package org.prune4j.notebook;

import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Shows a result in whatever Java notebook runs this code, the same way everywhere: a Tablesaw table as an
 * HTML table, a chart as a PNG, a run or a sweep as its tables (and chart). Notebooks call
 * {@code show(x);} instead of ending a cell with {@code x}, because what a kernel does with a cell's last
 * value differs between kernels (IJava and JJava print it as text unless taught otherwise).
 *
 * <pre>{@code
 * import static org.prune4j.notebook.Notebook.show;
 * show(run.history());
 * show(Charts.training(run));
 * }</pre>
 */
public final class Notebook {

    private Notebook() {
    }

    /**
     * Shows the value as rich output: under a JJava-family kernel (the Prune4J kernel, JJava) through its
     * renderer, under IJava through IJava's renderer, and outside any kernel (JShell, a test, a program) as
     * plain text on standard output.
     */
    public static void show(Object value) {
        BaseKernel jjava = BaseKernel.notebookKernel();
        if (jjava != null) {
            JJavaRenderers.register(jjava.getRenderer());
            jjava.display(jjava.getRenderer().render(value));
            return;
        }
        if (ijavaShown(value)) {
            return;
        }
        System.out.println(text(value));
    }

    // IJava's classes are absent outside IJava: look for its kernel without linking to them first.
    private static boolean ijavaShown(Object value) {
        try {
            Class.forName("io.github.spencerpark.jupyter.kernel.BaseKernel", false, Notebook.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        return IJavaRenderers.showIfRunning(value);
    }

    /** The plain-text form that {@link #show(Object)} prints outside a kernel. */
    public static String text(Object value) {
        return View.of(value).map(View::text).orElseGet(() -> String.valueOf(value));
    }
}
