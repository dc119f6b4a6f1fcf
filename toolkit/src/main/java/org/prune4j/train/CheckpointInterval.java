package org.prune4j.train;

import java.util.Locale;

/**
 * How often a run writes its checkpoint: every N epochs ({@code "2e"}), every N optimizer steps
 * ({@code "500s"}), or never ({@code "off"}). A run with checkpoints also writes one at its end.
 *
 * @param every  the interval, at least 1 (0 when off)
 * @param epochs whether it counts epochs (else steps)
 */
public record CheckpointInterval(long every, boolean epochs) {

    /** No checkpoints at all. */
    public static final CheckpointInterval OFF = new CheckpointInterval(0, true);

    /** Validates the interval. */
    public CheckpointInterval {
        if (every < 0) {
            throw new IllegalArgumentException("checkpoint interval " + every + " must be >= 1 (or 0 for off)");
        }
    }

    /** Every {@code n} epochs, n at least 1. */
    public static CheckpointInterval epochs(long n) {
        requirePositive(n, "epochs");
        return new CheckpointInterval(n, true);
    }

    /** Every {@code n} optimizer steps, n at least 1. */
    public static CheckpointInterval steps(long n) {
        requirePositive(n, "steps");
        return new CheckpointInterval(n, false);
    }

    /**
     * Parses {@code Ne} (epochs), {@code Ns} (steps) or {@code off}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static CheckpointInterval parse(String text) {
        String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("off")) {
            return OFF;
        }
        if (trimmed.length() >= 2 && (trimmed.endsWith("e") || trimmed.endsWith("s"))) {
            try {
                long n = Long.parseLong(trimmed.substring(0, trimmed.length() - 1));
                if (n >= 1) {
                    return trimmed.endsWith("e") ? epochs(n) : steps(n);
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("checkpoint interval '" + text + "' is not Ne (epochs, N >= 1, like 2e),"
                + " Ns (steps, N >= 1, like 500s) or off");
    }

    private static void requirePositive(long n, String unit) {
        if (n < 1) {
            throw new IllegalArgumentException("checkpoint interval " + n + " " + unit + " is outside [1, inf)");
        }
    }

    /** Whether checkpoints are written at all. */
    public boolean enabled() {
        return every > 0;
    }

    /** Whether a checkpoint is due after optimizer step {@code step} (counted from 1). */
    boolean dueAfterStep(long step) {
        return enabled() && !epochs && step % every == 0;
    }

    /** Whether a checkpoint is due after finishing epoch {@code epoch} (counted from 1). */
    boolean dueAfterEpoch(int epoch) {
        return enabled() && epochs && epoch % every == 0;
    }

    @Override
    public String toString() {
        return !enabled() ? "off" : every + (epochs ? "e" : "s");
    }
}
