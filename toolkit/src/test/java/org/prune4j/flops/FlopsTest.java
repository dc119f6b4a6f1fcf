package org.prune4j.flops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;

import org.junit.jupiter.api.Test;
import org.prune4j.export.TestModels;

import java.util.List;

class FlopsTest {

    @Test
    void lenet300MatchesTheHandComputation() {
        try (Model model = TestModels.pruned("lenet300", 0.0, 1)) {
            List<LayerFlops> layers = Flops.layers(model.getBlock());
            assertEquals(3, layers.size());
            assertEquals(2L * (784 * 300 + 300 * 100 + 100 * 10), Flops.denseInference(layers));
            assertEquals(532_400L, Flops.denseInference(layers));
            // 90% uniform: a tenth of each layer.
            double[] tenth = {0.1, 0.1, 0.1};
            assertEquals(53_240.0, Flops.sparseInference(layers, tenth), 1e-6);
            // Training: forward + two backward passes, 3 d f per example.
            assertEquals(3 * 53_240.0, Flops.trainingStep(layers, tenth, false), 1e-6);
            // A dense-gradient step: 2 d f + f.
            assertEquals(2 * 53_240.0 + 532_400.0, Flops.trainingStep(layers, tenth, true), 1e-6);
        }
    }

    @Test
    void lenet5MatchesTheHandComputation() {
        try (Model model = TestModels.pruned("lenet5", 0.0, 1)) {
            List<LayerFlops> layers = Flops.layers(model.getBlock());
            assertEquals(List.of("conv", "conv", "linear", "linear"), layers.stream().map(LayerFlops::kind).toList());
            // conv1: 20 filters 1x5x5 over 24x24 outputs; conv2: 50 filters 20x5x5 over 8x8; fc 800->500; fc 500->10.
            assertEquals(24 * 24, layers.get(0).positions());
            assertEquals(8 * 8, layers.get(1).positions());
            assertEquals(2L * 20 * 25 * 576, layers.get(0).denseFlops());
            assertEquals(2L * 50 * 20 * 25 * 64, layers.get(1).denseFlops());
            long macs = 20 * 25 * 576 + 50 * 20 * 25 * 64 + 800 * 500 + 500 * 10;
            assertEquals(2_293_000, macs);
            assertEquals(2 * macs, Flops.denseInference(layers));
        }
    }

    @Test
    void trainingFlopsIntegrateTheDensityTrace() {
        List<LayerFlops> layers = List.of(new LayerFlops("a", "linear", 100, 1, 200), new LayerFlops("b", "linear", 50, 1, 100));
        // Epoch 1 goes from dense to 0.5 (mean 0.75), epoch 2 stays at 0.5.
        List<double[]> trace = List.of(new double[] {1, 1}, new double[] {0.5, 0.5}, new double[] {0.5, 0.5});
        double expected = 1000 * (3 * 0.75 * 300) + 1000 * (3 * 0.5 * 300);
        assertEquals(expected, Flops.training(layers, trace, 1000, 0), 1e-6);
        FlopsReport report = new FlopsReport(layers, trace, 1000, 0);
        assertEquals(2 * 3 * 300 * 1000.0, report.trainingDense(), 1e-6);
        assertEquals(150.0, report.inferenceSparse(), 1e-9);
        // Every 4th step with a dense weight gradient: 3/4 (3 d f) + 1/4 (2 d f + f).
        double withDense = 1000 * (0.75 * 3 * 0.5 * 300 + 0.25 * (2 * 0.5 * 300 + 300));
        assertEquals(withDense, Flops.training(layers, trace.subList(1, 3), 1000, 4), 1e-6);
        assertEquals(3, report.inference().rowCount());
        assertEquals(2, report.trainingByEpoch().rowCount());
    }
}
