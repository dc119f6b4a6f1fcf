package org.prune4j.notebook;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.display.RenderContext;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The same views as {@link JJavaRenderers}, for a stock IJava kernel ({@code io.github.spencerpark}, the
 * renderer API IJava and JJava share by descent). Only loaded when such a kernel runs: the toolkit compiles
 * against IJava's base library but does not ship it.
 */
final class IJavaRenderers {

    private static final String IJAVA_MAIN = "io.github.spencerpark.ijava.IJava";
    private static final Set<Renderer> REGISTERED = Collections.newSetFromMap(new WeakHashMap<>());

    private IJavaRenderers() {
    }

    /** The running IJava kernel, if this JVM is one; IJava keeps it in a static of its main class. */
    static Optional<BaseKernel> runningKernel() {
        try {
            Object kernel = Class.forName(IJAVA_MAIN).getMethod("getKernelInstance").invoke(null);
            return Optional.ofNullable((BaseKernel) kernel);
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return Optional.empty();
        }
    }

    /**
     * Shows the value through the running IJava kernel's renderer, after teaching it Prune4J's views (once).
     *
     * @return false when no IJava kernel runs in this JVM
     */
    static boolean showIfRunning(Object value) {
        Optional<BaseKernel> kernel = runningKernel();
        kernel.ifPresent(running -> {
            Renderer renderer = running.getRenderer();
            register(renderer);
            running.display(renderer.render(value));
        });
        return kernel.isPresent();
    }

    static synchronized void register(Renderer renderer) {
        if (!REGISTERED.add(renderer)) {
            return;
        }
        for (Class<?> type : View.TYPES) {
            registerType(renderer, type);
        }
    }

    private static <T> void registerType(Renderer renderer, Class<T> type) {
        renderer.createRegistration(type)
                .preferring(MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG)
                .supporting(MIMEType.TEXT_PLAIN)
                .register(IJavaRenderers::render);
    }

    private static void render(Object value, RenderContext context) {
        View view = View.of(value).orElseThrow(() -> new IllegalStateException("no view for " + value.getClass()));
        view.mimeBundle().forEach((mime, data) -> context.renderIfRequested(MIMEType.parse(mime), () -> data));
    }
}
