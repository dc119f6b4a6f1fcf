package org.prune4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.io.AtomicFiles;
import org.prune4j.report.EpochStats;
import org.prune4j.report.KernelPaths;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The epoch loop of {@link SparseTraining#fit()}: steps a {@link TrainingSession} (which owns the step
 * itself, so the loop's step is written once and is the one that benchmarks measure), and adds epochs,
 * progress, evaluation, history and checkpoints. Host reads happen only at epoch ends and checkpoints.
 *
 * <p>Checkpoints ({@link SparseTraining#checkpointTo}) hold the session's state plus this loop's history,
 * density trace and elapsed time; a step-interval checkpoint that falls on an epoch's last step is written
 * after that epoch's evaluation, so a checkpoint is either mid-epoch or at a clean epoch boundary.
 */
final class SparseTrainer implements AutoCloseable {

    private final SparseTraining config;
    private final Progress progress;
    private final Schedule learningRate;
    private final TrainingSession session;
    /** The files a run writes into its folder, whose temporary files a killed run may have left. */
    private static final List<String> WRITTEN = List.of(SparseTraining.CHECKPOINT_FILE, "summary.json", "history.csv",
            "layers.csv", "flops.csv", "masks.csv", "training.png", "layers.png", "sparsity.png", "churn.png", "timeline.png",
            "input-density.png", ModelFiles.PARAMS, ModelFiles.HEADER);
    private final List<LayerFlops> flopsLayers;
    private final List<EpochStats> history = new ArrayList<>();
    private final List<double[]> densityTrace = new ArrayList<>();
    private double secondsBefore;
    private double epochSecondsBefore;

    SparseTrainer(SparseTraining config) {
        this.config = config;
        this.progress = config.progress != null ? config.progress : Progress.auto();
        this.session = new TrainingSession(config);
        try {
            this.learningRate = config.optimizer.learningRate(session.stepsPerEpoch(), config.epochs);
            this.flopsLayers = Flops.layers(session.block());
            if (config.resumeDir != null) {
                resume(config.resumeDir.resolve(SparseTraining.CHECKPOINT_FILE));
            } else {
                densityTrace.add(densities());
            }
        } catch (RuntimeException | Error e) {
            session.close();
            throw e;
        }
    }

    Run run() {
        long started = System.nanoTime();
        int stepsPerEpoch = session.stepsPerEpoch();
        Path checkpoints = checkpointDir();
        CheckpointInterval interval = config.checkpointInterval;
        if (checkpoints != null) {
            try {
                AtomicFiles.deleteLeftovers(checkpoints, WRITTEN);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clean up " + checkpoints + ": " + e.getMessage(), e);
            }
            // From the first moment, the folder's tables say that this run is unfinished.
            saveProgress(checkpoints, started);
        }
        for (int epoch = session.epoch(); epoch < config.epochs; epoch++) {
            long epochStart = System.nanoTime();
            boolean pending = false;
            for (int batch = session.stepInEpoch(); batch < stepsPerEpoch; batch++) {
                session.trainStep();
                progress.step(epoch, config.epochs, batch + 1, stepsPerEpoch);
                if (checkpoints != null && interval.dueAfterStep(session.step())) {
                    if (batch + 1 < stepsPerEpoch) {
                        epochSecondsBefore += (System.nanoTime() - epochStart) / 1e9;
                        epochStart = System.nanoTime();
                        writeCheckpoint(checkpoints, started);
                    } else {
                        pending = true;
                    }
                }
            }
            TrainingSession.EpochResult result = session.finishEpoch();
            double testAccuracy = session.testAccuracy();
            double sparsity = session.model().sparsity();
            double seconds = epochSecondsBefore + (System.nanoTime() - epochStart) / 1e9;
            epochSecondsBefore = 0;
            history.add(new EpochStats(epoch + 1, result.loss(), result.trainAccuracy(), testAccuracy, sparsity,
                    learningRate.valueAt(session.step() - 1), seconds));
            densityTrace.add(densities());
            progress.epoch(epoch, config.epochs, result.loss(), result.trainAccuracy(), testAccuracy, sparsity,
                    seconds);
            if (checkpoints != null && (pending || interval.dueAfterEpoch(epoch + 1))
                    && epoch + 1 < config.epochs) {
                writeCheckpoint(checkpoints, started);
            }
        }
        Run run = currentRun(started);
        if (config.modelDir != null) {
            try {
                ModelFiles.save(session.block(), new ModelHeader(config.modelName, config.data.train().classes(),
                        session.inputShape().getShape(), config.data.name()), config.modelDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the model into " + config.modelDir + ": " + e.getMessage(), e);
            }
        }
        if (checkpoints != null && interval.enabled()) {
            // The final checkpoint: resuming a finished run only re-evaluates and re-writes its results.
            writeCheckpoint(checkpoints, started);
        }
        return run;
    }

    /** The folder checkpoints go to: the one given, else the one resumed from; null when they are off. */
    private Path checkpointDir() {
        if (!config.checkpointInterval.enabled()) {
            return null;
        }
        return config.checkpointDir != null ? config.checkpointDir : config.resumeDir;
    }

    private Run currentRun(long started) {
        double trainSeconds = secondsBefore + (System.nanoTime() - started) / 1e9;
        RunInfo info = new RunInfo(config.modelName, config.data.name(), session.method().name(),
                session.method().targetSparsity(), config.epochs, config.seed, session.device().toString());
        long denseGradientInterval = session.method() instanceof DenseGradients dense ? dense.denseGradientInterval() : 0;
        FlopsReport flops = new FlopsReport(flopsLayers, densityTrace, config.data.train().size(), denseGradientInterval);
        Run run = Run.of(info, history, layerStats(), trainSeconds, session.step()).withFlops(flops)
                .withMaskUpdates(session.maskUpdates())
                .withPartial(session.step() < session.totalSteps());
        if (config.recipe != null) {
            run = run.withRecipe(config.recipe);
        }
        KernelPaths paths = session.kernelPaths();
        if (paths != null) {
            run = run.withKernelPaths(paths);
        }
        double[] perInput = session.inputDensity();
        return perInput == null ? run : run.withInputDensity(perInput);
    }

    private void writeCheckpoint(Path dir, long started) {
        JsonObject header = new JsonObject();
        header.addProperty("format", CheckpointFile.VERSION);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        new SessionCheckpoint(session).save(header, tensors);
        JsonArray rows = new JsonArray();
        for (EpochStats row : history) {
            JsonArray values = new JsonArray();
            values.add(row.epoch());
            values.add(row.loss());
            values.add(row.trainAccuracy());
            values.add(row.testAccuracy());
            values.add(row.sparsity());
            values.add(row.learningRate());
            values.add(row.seconds());
            rows.add(values);
        }
        header.add("history", rows);
        JsonArray trace = new JsonArray();
        for (double[] densities : densityTrace) {
            JsonArray values = new JsonArray();
            for (double density : densities) {
                values.add(density);
            }
            trace.add(values);
        }
        header.add("densityTrace", trace);
        header.add("maskUpdates", MaskUpdateJson.toJson(session.maskUpdates()));
        header.addProperty("trainSeconds", secondsBefore + (System.nanoTime() - started) / 1e9);
        header.addProperty("epochSeconds", epochSecondsBefore);
        CheckpointFile.write(dir.resolve(SparseTraining.CHECKPOINT_FILE), header, tensors);
        saveProgress(dir, started);
    }

    private void saveProgress(Path dir, long started) {
        Run run = currentRun(started);
        try {
            // The final checkpoint's run is finished: its summary says "partial": false, which Run.save
            // writes only after the charts, so the folder never claims a finished run without them.
            if (run.partial()) {
                run.saveTables(dir);
            } else {
                run.save(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's tables into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Restores the session and this loop's history from a checkpoint; changes nothing if it is refused. */
    private void resume(Path file) {
        NDManager manager = session.block().getParameters().valueAt(0).getArray().getManager().newSubManager();
        try (manager) {
            org.prune4j.io.TensorFile.Contents contents = CheckpointFile.read(file, manager);
            JsonObject header = contents.header();
            new SessionCheckpoint(session).restore(contents, file);
            for (JsonElement element : header.getAsJsonArray("history")) {
                JsonArray row = element.getAsJsonArray();
                history.add(new EpochStats(row.get(0).getAsInt(), row.get(1).getAsDouble(), row.get(2).getAsDouble(),
                        row.get(3).getAsDouble(), row.get(4).getAsDouble(), row.get(5).getAsDouble(),
                        row.get(6).getAsDouble()));
            }
            for (JsonElement element : header.getAsJsonArray("densityTrace")) {
                JsonArray row = element.getAsJsonArray();
                double[] densities = new double[row.size()];
                for (int i = 0; i < densities.length; i++) {
                    densities[i] = row.get(i).getAsDouble();
                }
                densityTrace.add(densities);
            }
            if (header.has("maskUpdates")) {
                session.restoreMaskUpdates(MaskUpdateJson.fromJson(header.getAsJsonArray("maskUpdates")));
            } else {
                session.restoreMaskUpdates(List.of()); // a checkpoint from before updates were recorded
            }
            secondsBefore = header.get("trainSeconds").getAsDouble();
            epochSecondsBefore = header.get("epochSeconds").getAsDouble();
        }
    }

    /** Density of every Linear/conv weight (1 for unmasked ones); reads one number per masked layer. */
    private double[] densities() {
        SparseModel model = session.model();
        double[] densities = new double[flopsLayers.size()];
        for (int i = 0; i < densities.length; i++) {
            MaskedWeight weight = model.names().contains(flopsLayers.get(i).layer())
                    ? model.weight(flopsLayers.get(i).layer()) : null;
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
