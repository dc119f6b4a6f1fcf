package org.prune4j.notebook;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Installs Prune4J's renderers into a JJava-family kernel. JJava finds it through
 * {@code META-INF/services/org.dflib.jjava.jupyter.Extension} once the toolkit is on its class path
 * ({@code JJAVA_CLASSPATH} or {@code %classpath}); the Prune4J kernel installs it at start.
 */
public final class Prune4jExtension implements Extension {

    /** Called by {@link java.util.ServiceLoader}. */
    public Prune4jExtension() {
    }

    @Override
    public void install(BaseKernel kernel) {
        JJavaRenderers.register(kernel.getRenderer());
    }
}
