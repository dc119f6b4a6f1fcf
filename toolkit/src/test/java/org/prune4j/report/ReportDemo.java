package org.prune4j.report;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders the demo charts to a directory (default /tmp/report-demo) so a person can look at them. */
public final class ReportDemo {

    private ReportDemo() {}

    /** Writes training.png, layers.png, tradeoff.png and schedule.png into {@code args[0]} or /tmp/report-demo. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/report-demo");
        Run run = Fixtures.lenet();
        Charts.savePng(Charts.training(run), dir.resolve("training.png"));
        Charts.savePng(Charts.layerDensity(run), dir.resolve("layers.png"));
        Charts.savePng(Fixtures.sweep().chart(), dir.resolve("tradeoff.png"));
        java.util.List<LayerStats> deep = new java.util.ArrayList<>();
        for (int i = 0; i < 31; i++) {
            long out = 16L << (i / 10);
            deep.add(LayerStats.of("stage" + (i / 10 + 1) + ".conv" + (i % 10), Math.round(out * out * 9 * (0.05 + 0.9 * Math.exp(-i / 6.0))), out, out, 3, 3));
        }
        Run resnet = Run.of(new RunInfo("resnet32", "cifar10", "erk", 0.9, 160, 1, "gpu(0)"), Fixtures.history(0.9, 0.02), deep, 600, 60_000);
        Charts.savePng(Charts.layerDensity(resnet), dir.resolve("layers-deep.png"));
        int steps = 1000;
        double[] x = new double[steps];
        double[] gradual = new double[steps];
        double[] cosine = new double[steps];
        for (int i = 0; i < steps; i++) {
            x[i] = i;
            gradual[i] = 0.9 * (1 - Math.pow(1 - Math.min(1.0, i / 600.0), 3));
            cosine[i] = 0.25 * (1 + Math.cos(Math.PI * i / steps));
        }
        Map<String, double[]> ys = new LinkedHashMap<>();
        ys.put("sparsity (gradual)", gradual);
        ys.put("drop rate (cosine)", cosine);
        Charts.savePng(Charts.series("Schedules", "step", "value", x, ys), dir.resolve("schedule.png"));
        System.out.println(run.summary());
        System.out.println(run.summaryJson());
        System.out.println(run.layers().print());
        System.out.println(Fixtures.sweep());
    }
}
