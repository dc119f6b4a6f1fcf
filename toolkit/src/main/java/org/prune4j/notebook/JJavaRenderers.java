package org.prune4j.notebook;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * Teaches a JJava-family renderer ({@code org.dflib.jjava.jupyter}: the Prune4J kernel, a stock JJava) to
 * show Prune4J results: each type of {@link View#TYPES} as {@code text/html} or {@code image/png}, with its
 * {@code text/plain} twin. Registering twice on one renderer does nothing the second time.
 */
public final class JJavaRenderers {

    // Weak: a renderer belongs to a kernel; a JVM that runs several kernels in tests must not keep them.
    private static final Set<Renderer> REGISTERED = Collections.newSetFromMap(new WeakHashMap<>());

    private JJavaRenderers() {
    }

    /** Registers the views on this renderer (once). */
    public static synchronized void register(Renderer renderer) {
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
                .register(JJavaRenderers::render);
    }

    private static void render(Object value, RenderContext context) {
        View view = View.of(value).orElseThrow(() -> new IllegalStateException("no view for " + value.getClass()));
        view.mimeBundle().forEach((mime, data) -> context.renderIfRequested(MIMEType.parse(mime), () -> data));
    }
}
