package org.prune4j.train;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.Locale;

/**
 * Chooses where training runs: a GPU when DJL sees one, else the CPU; {@code -Dprune4j.device=cpu|gpu}
 * or {@link SparseTraining#device} forces a choice.
 */
public final class Devices {

    /** The system property that forces a device. */
    public static final String PROPERTY = "prune4j.device";

    private Devices() {}

    /** The forced device if the property is set, else the first GPU if there is one, else the CPU. */
    public static Device auto() {
        String forced = System.getProperty(PROPERTY, "auto");
        return parse(forced);
    }

    /**
     * Parses {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}.
     *
     * @throws IllegalArgumentException for other text, or a GPU that DJL cannot see
     */
    public static Device parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        int gpus = Engine.getInstance().getGpuCount();
        if (value.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (value.equals("cpu")) {
            return Device.cpu();
        }
        if (value.equals("gpu") || value.startsWith("gpu:")) {
            int id = value.equals("gpu") ? 0 : parseId(text, value.substring(4));
            if (id >= gpus) {
                throw new IllegalArgumentException("device '" + text + "' is not available: DJL sees " + gpus
                        + " GPU(s); use cpu, or build with the cuda profile on a machine with a GPU");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("unknown device '" + text + "': expected auto, cpu, gpu or gpu:N");
    }

    private static int parseId(String text, String id) {
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unknown device '" + text + "': expected auto, cpu, gpu or gpu:N", e);
        }
    }
}
