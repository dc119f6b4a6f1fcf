package org.prune4j.notebook.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * Starts the Prune4J kernel on the connection file Jupyter passes ({@code notebooks/install-kernel} writes
 * the kernelspec that calls this).
 */
public final class KernelMain {

    private KernelMain() {
    }

    /**
     * Serves one Jupyter connection until it is shut down, then exits the JVM (a cell's threads, DJL's pools,
     * must not keep a shut-down kernel alive).
     *
     * @param args the connection file
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KernelMain CONNECTION_FILE (Jupyter passes it; see notebooks/install-kernel)");
            System.exit(2);
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            System.err.println("kernel: no connection file at " + connectionFile);
            System.exit(2);
        }
        KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterConnection connection = new JupyterConnection(properties);
        Prune4jKernel kernel = Prune4jKernel.create();
        kernel.onStartup();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        System.exit(0);
    }
}
