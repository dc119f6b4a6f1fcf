package org.prune4j.report;

import java.util.ArrayList;
import java.util.List;

/** Hand-made runs shaped like real ones: LeNet-300-100 on MNIST with gradual magnitude pruning. */
public final class Fixtures {

    private Fixtures() {}

    static final List<LayerStats> LENET_LAYERS = List.of(
            new LayerStats("fc1", new long[] {300, 784}, 235_200, 23_520),
            new LayerStats("fc2", new long[] {100, 300}, 30_000, 3_000),
            new LayerStats("fc3", new long[] {10, 100}, 1_000, 1_000));

    static RunInfo info(String method, double target) {
        return new RunInfo("lenet300", "mnist", method, target, 20, 1L, "cpu()");
    }

    /** A smooth, plausible 20-epoch history whose final accuracy drops with sparsity, more for weaker methods. */
    static List<EpochStats> history(double target, double penalty) {
        List<EpochStats> rows = new ArrayList<>();
        for (int epoch = 1; epoch <= 20; epoch++) {
            double progress = 1 - Math.exp(-epoch / 3.0);
            double ramp = Math.min(1.0, epoch / 10.0);
            double sparsity = target * (1 - Math.pow(1 - ramp, 3)); // Zhu & Gupta cubic ramp
            double test = 0.90 + 0.085 * progress - penalty * sparsity * sparsity;
            double train = Math.min(1.0, test + 0.012 * progress);
            double lr = epoch <= 10 ? 0.1 : epoch <= 15 ? 0.01 : 0.001;
            rows.add(new EpochStats(epoch, 0.35 * Math.exp(-epoch / 4.0) + 0.02, train, test, sparsity, lr, 3.0 + 0.05 * epoch));
        }
        return rows;
    }

    /** A finished 20-epoch GMP run at 90% on LeNet-300-100. */
    public static Run lenet() {
        return Run.of(info("gmp", 0.9), history(0.9, 0.01), LENET_LAYERS, 64.5, 9_380);
    }

    /** A run whose layers reach the target sparsity uniformly, for sweep tests. */
    static Run run(String method, double target, double penalty) {
        List<LayerStats> layers = LENET_LAYERS.stream()
                .map(l -> new LayerStats(l.layer(), l.shape(), l.parameters(), Math.round(l.parameters() * (1 - target))))
                .toList();
        return Run.of(info(method, target), history(target, penalty), layers, 60.0, 9_380);
    }

    /** Three methods at five sparsities. */
    public static SweepResult sweep() {
        List<Run> runs = new ArrayList<>();
        double[] targets = {0.5, 0.8, 0.9, 0.95, 0.98};
        // Shuffled order on purpose: the chart must sort by sparsity itself.
        for (int i : new int[] {2, 0, 4, 1, 3}) {
            runs.add(run("gmp", targets[i], 0.03));
            runs.add(run("granet", targets[i], 0.015));
            runs.add(run("static", targets[i], 0.08));
        }
        return SweepResult.of(runs);
    }
}
