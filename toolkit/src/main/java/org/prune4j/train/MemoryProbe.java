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
        return statusBytes(Path.of("/proc/self/status"), "VmRSS:");
    }

    /**
     * The peak resident set size of a running process in bytes (VmHWM of /proc/PID/status: the high-water mark,
     * so polling it while the process runs gives its peak), or -1 once it has gone or where there is no /proc.
     */
    public static long peakResidentBytes(long pid) {
        return statusBytes(Path.of("/proc", String.valueOf(pid), "status"), "VmHWM:");
    }

    private static long statusBytes(Path status, String field) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1; // no such process (any more), or no /proc
        }
        return -1;
    }
}
