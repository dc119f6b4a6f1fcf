package org.prune4j.cli;

import org.prune4j.optim.Optimizers;

import java.util.Arrays;

/**
 * The {@code --lr-schedule} option: {@code cosine} (the default), {@code constant}, {@code linear}, or
 * {@code step:E1,E2[xF]}, which multiplies the rate by F (0.1 unless given) at the start of each epoch Ei,
 * the recipe of most pruning papers (for example {@code step:10,15} for 20 epochs).
 */
final class LrScheduleOption {

    private static final String ACCEPTED = "expected cosine, constant, linear or step:E1,E2[xF] (such as step:10,15 or step:10,15x0.2)";

    private LrScheduleOption() {}

    static <T extends Optimizers.Base<T>> T apply(String value, T optimizer) {
        switch (value) {
            case "cosine":
                return optimizer.cosineLr();
            case "linear":
                return optimizer.linearLr();
            case "constant":
                return optimizer;
            default:
                if (!value.startsWith("step:")) {
                    throw new UsageException("--lr-schedule '" + value + "': " + ACCEPTED);
                }
                String spec = value.substring("step:".length());
                int times = spec.indexOf('x');
                double factor = times < 0 ? 0.1 : number(value, spec.substring(times + 1));
                String epochs = times < 0 ? spec : spec.substring(0, times);
                int[] dropEpochs;
                try {
                    dropEpochs = Arrays.stream(epochs.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
                } catch (NumberFormatException e) {
                    throw new UsageException("--lr-schedule '" + value + "': the drop epochs must be whole numbers; " + ACCEPTED);
                }
                if (!(factor > 0 && factor <= 1)) {
                    throw new UsageException("--lr-schedule '" + value + "': drop factor " + factor + " is outside (0, 1]");
                }
                for (int epoch : dropEpochs) {
                    if (epoch < 1) {
                        throw new UsageException("--lr-schedule '" + value + "': drop epoch " + epoch + " must be at least 1");
                    }
                }
                return optimizer.lrDropAt(dropEpochs).lrDropFactor(factor);
        }
    }

    private static double number(String value, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--lr-schedule '" + value + "': drop factor '" + text + "' is not a number; " + ACCEPTED);
        }
    }
}
