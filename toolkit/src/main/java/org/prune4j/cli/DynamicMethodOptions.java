package org.prune4j.cli;

import org.prune4j.method.AllocationBuilder;
import org.prune4j.method.Budget;
import org.prune4j.method.DynamicBuilder;
import org.prune4j.method.DynamicSparse;
import org.prune4j.method.GraNet;
import org.prune4j.method.LotteryTicket;
import org.prune4j.method.Snip;
import org.prune4j.method.SparsityMethod;

/**
 * The command-line options of the dynamic-sparse-training methods (granet, granet-st, rigl, set) and of
 * snip and lth, turned into a built method. Kept apart from {@link Main} so the options of each family
 * live in one place.
 */
final class DynamicMethodOptions {

    private DynamicMethodOptions() {}

    static SparsityMethod method(String name, double sparsity, Options options) {
        switch (name) {
            case "granet":
            case "granet-st": {
                GraNet.Builder granet = name.equals("granet") ? GraNet.builder() : GraNet.st();
                granet.sparsity(sparsity).startEpoch(options.number("start-epoch", 0));
                double end = options.number("end-epoch", Double.NaN);
                if (!Double.isNaN(end)) {
                    granet.endEpoch(end);
                }
                double initial = options.number("initial-sparsity", Double.NaN);
                if (!Double.isNaN(initial)) {
                    granet.initialSparsity(initial);
                }
                return common(granet, options).build();
            }
            case "rigl":
            case "set":
                return common(name.equals("rigl") ? DynamicSparse.rigl() : DynamicSparse.set(), options)
                        .sparsity(sparsity).build();
            case "snip":
                return budget(Snip.builder().sparsity(sparsity)
                        .batches(options.integer("snip-batches", 1, 1, 1_000_000)), options).build();
            case "lth": {
                LotteryTicket.Builder lth = LotteryTicket.builder()
                        .rounds(options.integer("rounds", 3, 2, 1000))
                        .rewindStep(options.longValue("rewind-step", 0));
                double fraction = options.number("prune-fraction", Double.NaN);
                if (Double.isNaN(fraction)) {
                    lth.sparsity(sparsity);
                } else {
                    lth.pruneFraction(fraction);
                }
                return budget(lth, options).build();
            }
            default:
                throw new UsageException("unknown method '" + name + "'");
        }
    }

    private static <T extends DynamicBuilder<T>> T common(T builder, Options options) {
        builder.every(options.longValue("interval", 100));
        double rate = options.number("drop-rate", Double.NaN);
        if (!Double.isNaN(rate)) {
            builder.dropRate(rate);
        }
        double until = options.number("update-until", Double.NaN);
        if (!Double.isNaN(until)) {
            builder.updateUntil(until);
        }
        return budget(builder, options);
    }

    private static <T extends AllocationBuilder<T>> T budget(T builder, Options options) {
        String budget = options.text("budget", null);
        if (budget != null) {
            builder.budget(Budget.parse(budget));
        }
        return builder;
    }
}
