package org.prune4j.train;

import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.report.EpochStats;
import org.prune4j.report.LayerStats;
import org.prune4j.report.Run;
import org.prune4j.report.RunInfo;
import org.prune4j.schedule.Schedule;

import org.prune4j.export.ModelFiles;
import org.prune4j.export.ModelHeader;
import org.prune4j.flops.DenseGradients;
import org.prune4j.flops.Flops;
import org.prune4j.flops.FlopsReport;
import org.prune4j.flops.LayerFlops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The epoch loop of {@link SparseTraining#fit()}: steps a {@link TrainingSession} (which owns the step
 * itself, so the loop's step is written once and is the one that benchmarks measure), and adds epochs,
 * progress, evaluation and history. Host reads happen only at epoch ends.
 */
final class SparseTrainer implements AutoCloseable {

    private final SparseTraining config;
    private final Progress progress;
    private final Schedule learningRate;
    private final TrainingSession session;

    SparseTrainer(SparseTraining config) {
        this.config = config;
        this.progress = config.progress != null ? config.progress : Progress.auto();
        this.session = new TrainingSession(config);
        this.learningRate = config.optimizer.learningRate(session.stepsPerEpoch(), config.epochs);
    }

    Run run() {
        List<EpochStats> history = new ArrayList<>();
        long started = System.nanoTime();
        int stepsPerEpoch = session.stepsPerEpoch();
        List<LayerFlops> flopsLayers = Flops.layers(session.block());
        List<double[]> densityTrace = new ArrayList<>();
        densityTrace.add(densities(flopsLayers));
        for (int epoch = 0; epoch < config.epochs; epoch++) {
            long epochStart = System.nanoTime();
            for (int batch = 0; batch < stepsPerEpoch; batch++) {
                session.trainStep();
                progress.step(epoch, config.epochs, batch + 1, stepsPerEpoch);
            }
            TrainingSession.EpochResult result = session.finishEpoch();
            double testAccuracy = session.testAccuracy();
            double sparsity = session.model().sparsity();
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            history.add(new EpochStats(epoch + 1, result.loss(), result.trainAccuracy(), testAccuracy, sparsity,
                    learningRate.valueAt(session.step() - 1), seconds));
            densityTrace.add(densities(flopsLayers));
            progress.epoch(epoch, config.epochs, result.loss(), result.trainAccuracy(), testAccuracy, sparsity,
                    seconds);
        }
        double trainSeconds = (System.nanoTime() - started) / 1e9;
        RunInfo info = new RunInfo(config.modelName, config.data.name(), session.method().name(),
                session.method().targetSparsity(), config.epochs, config.seed, session.device().toString());
        long denseGradientInterval = session.method() instanceof DenseGradients dense ? dense.denseGradientInterval() : 0;
        FlopsReport flops = new FlopsReport(flopsLayers, densityTrace, config.data.train().size(), denseGradientInterval);
        if (config.modelDir != null) {
            try {
                ModelFiles.save(session.block(), new ModelHeader(config.modelName, config.data.train().classes(),
                        session.inputShape().getShape(), config.data.name()), config.modelDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the model into " + config.modelDir + ": " + e.getMessage(), e);
            }
        }
        return Run.of(info, history, layerStats(), trainSeconds, session.step()).withFlops(flops);
    }

    /** Density of every Linear/conv weight (1 for unmasked ones); reads one number per masked layer. */
    private double[] densities(List<LayerFlops> layers) {
        SparseModel model = session.model();
        double[] densities = new double[layers.size()];
        for (int i = 0; i < densities.length; i++) {
            MaskedWeight weight = model.names().contains(layers.get(i).layer()) ? model.weight(layers.get(i).layer()) : null;
            densities[i] = weight == null ? 1.0 : (double) model.nonzeros(weight) / weight.size();
        }
        return densities;
    }

    private List<LayerStats> layerStats() {
        SparseModel model = session.model();
        List<LayerStats> stats = new ArrayList<>();
        for (MaskedWeight weight : model.weights()) {
            stats.add(new LayerStats(weight.name(), weight.shape().getShape(), weight.size(), model.nonzeros(weight)));
        }
        return stats;
    }

    @Override
    public void close() {
        session.close();
    }
}
