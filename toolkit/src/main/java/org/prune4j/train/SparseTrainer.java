package org.prune4j.train;

import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.report.EpochStats;
import org.prune4j.report.LayerStats;
import org.prune4j.report.Run;
import org.prune4j.report.RunInfo;
import org.prune4j.schedule.Schedule;

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
            progress.epoch(epoch, config.epochs, result.loss(), result.trainAccuracy(), testAccuracy, sparsity,
                    seconds);
        }
        double trainSeconds = (System.nanoTime() - started) / 1e9;
        RunInfo info = new RunInfo(config.modelName, config.data.name(), session.method().name(),
                session.method().targetSparsity(), config.epochs, config.seed, session.device().toString());
        return Run.of(info, history, layerStats(), trainSeconds, session.step());
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
