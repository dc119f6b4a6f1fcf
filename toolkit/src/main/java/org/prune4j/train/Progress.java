package org.prune4j.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows training progress without flooding the output: a redrawn bar in a terminal, one line per epoch
 * elsewhere (notebooks, logs, CI). Host reads happen only at epoch ends, never per step.
 */
public interface Progress {

    /** Called after each optimizer step. */
    void step(int epoch, int epochs, int stepInEpoch, int stepsPerEpoch);

    /** Called when an epoch's metrics are known. */
    void epoch(int epoch, int epochs, double loss, double trainAccuracy, double testAccuracy, double sparsity,
            double seconds);

    /** Prints nothing. */
    static Progress silent() {
        return new Progress() {
            @Override
            public void step(int epoch, int epochs, int stepInEpoch, int stepsPerEpoch) {}

            @Override
            public void epoch(int epoch, int epochs, double loss, double trainAccuracy, double testAccuracy,
                    double sparsity, double seconds) {}
        };
    }

    /** A bar when standard output is a terminal, else one line per epoch. */
    static Progress auto() {
        return System.console() != null ? bar(System.out) : lines(System.out);
    }

    /** One line per epoch. */
    static Progress lines(PrintStream out) {
        return new Progress() {
            @Override
            public void step(int epoch, int epochs, int stepInEpoch, int stepsPerEpoch) {}

            @Override
            public void epoch(int epoch, int epochs, double loss, double trainAccuracy, double testAccuracy,
                    double sparsity, double seconds) {
                out.println(epochLine(epoch, epochs, loss, trainAccuracy, testAccuracy, sparsity, seconds));
                out.flush();
            }
        };
    }

    /** A bar redrawn in place about 50 times an epoch, then one line per epoch. */
    static Progress bar(PrintStream out) {
        return new Progress() {
            @Override
            public void step(int epoch, int epochs, int stepInEpoch, int stepsPerEpoch) {
                int every = Math.max(1, stepsPerEpoch / 50);
                if (stepInEpoch % every != 0 && stepInEpoch != stepsPerEpoch) {
                    return;
                }
                int width = 30;
                int filled = (int) ((long) width * stepInEpoch / stepsPerEpoch);
                out.print(String.format(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d", epoch + 1, epochs,
                        "=".repeat(filled), " ".repeat(width - filled), stepInEpoch, stepsPerEpoch));
                out.flush();
            }

            @Override
            public void epoch(int epoch, int epochs, double loss, double trainAccuracy, double testAccuracy,
                    double sparsity, double seconds) {
                out.print("\r\033[K");
                out.println(epochLine(epoch, epochs, loss, trainAccuracy, testAccuracy, sparsity, seconds));
                out.flush();
            }
        };
    }

    /** The text of one epoch's line. */
    static String epochLine(int epoch, int epochs, double loss, double trainAccuracy, double testAccuracy,
            double sparsity, double seconds) {
        return String.format(Locale.ROOT,
                "epoch %d/%d  loss %.4f  train acc %.4f  test acc %.4f  sparsity %.4f  %.1fs",
                epoch + 1, epochs, loss, trainAccuracy, testAccuracy, sparsity, seconds);
    }
}
