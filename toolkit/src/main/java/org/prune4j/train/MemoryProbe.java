package org.prune4j.train;

import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much a JVM holds: DJL arrays still open anywhere in the engine, and the process's resident memory.
 * For soak tests and notebooks ("did that interrupted cell leak?"); both reads are cheap but not free, so
 * call them every few hundred steps, not every step.
 */
public final class MemoryProbe {

    private MemoryProbe() {}

    /**
     * NDArrays open in the default engine, counted over every manager under its system manager (model
     * parameters, masks, optimizer state, data on the device, and anything leaked).
     */
    public static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager()) {
            // A base manager's parent is the engine's system manager, the root of every manager.
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    /** The process's resident set size in bytes (VmRSS of /proc/self/status), or -1 where there is none. */
    public static long residentBytes() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
