package org.prune4j.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;

import org.prune4j.method.SparsityMethod;
import org.prune4j.method.TrainingContext;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.optim.MaskAwareOptimizer;
import org.prune4j.report.EpochStats;
import org.prune4j.report.LayerStats;
import org.prune4j.report.Run;
import org.prune4j.report.RunInfo;
import org.prune4j.schedule.Schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The training loop: the only code that uses DJL's training API.
 *
 * <p>Per step: forward and backward inside a GradientCollector, then the method's after-backward hook
 * (gradients readable), the mask-aware optimizer step (which re-applies masks), and the after-step hook.
 * Everything a step creates lives in an {@link NDScope} that is closed at the end of the step. Loss and
 * accuracy are summed on the device and read once per epoch.
 */
final class SparseTrainer implements AutoCloseable, TrainingContext {

    private final SparseTraining config;
    private final SparsityMethod method;
    private final Device device;
    private final Progress progress;
    private final Random random;
    private final Model model;
    private final Trainer trainer;
    private final MaskAwareOptimizer optimizer;
    private final SparseModel sparseModel;
    private final DeviceData train;
    private final DeviceData test;
    private final Schedule learningRate;
    private final int stepsPerEpoch;
    private long step;
    private int epoch;

    SparseTrainer(SparseTraining config) {
        this.config = config;
        this.method = config.method;
        this.device = config.device != null ? config.device : Devices.auto();
        this.progress = config.progress != null ? config.progress : Progress.auto();
        this.random = new Random(config.seed);
        this.stepsPerEpoch = (config.data.train().size() + config.batchSize - 1) / config.batchSize;
        this.optimizer = config.optimizer.create(stepsPerEpoch, config.epochs);
        this.learningRate = config.optimizer.learningRate(stepsPerEpoch, config.epochs);

        // Seed before the block is built and initialised: weight initialisation draws from the engine.
        Engine.getInstance().setRandomSeed((int) config.seed);
        Block block = config.modelFactory.apply(config.data.train().classes());
        this.model = Model.newInstance(config.modelName, device);
        try {
            model.setBlock(block);
            DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer)
                    .optDevices(new Device[] {device});
            this.trainer = model.newTrainer(trainingConfig);
            this.train = new DeviceData(config.data.train(), model.getNDManager(), device);
            this.test = new DeviceData(config.data.test(), model.getNDManager(), device);
            trainer.initialize(train.inputShape());
            SparseModel.Builder builder = SparseModel.builder(block);
            config.includes.forEach(builder::include);
            config.excludes.forEach(builder::exclude);
            this.sparseModel = builder.build();
            optimizer.bind(sparseModel);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    Run run() {
        List<EpochStats> history = new ArrayList<>();
        long started = System.nanoTime();
        method.onStart(this);
        NDManager manager = model.getNDManager();
        for (epoch = 0; epoch < config.epochs; epoch++) {
            long epochStart = System.nanoTime();
            try (NDArray order = train.order(config.seed, epoch);
                    NDArray lossSum = manager.zeros(new Shape(), DataType.FLOAT32, device);
                    NDArray correct = manager.zeros(new Shape(), DataType.INT64, device)) {
                for (int batch = 0; batch < stepsPerEpoch; batch++) {
                    int start = batch * config.batchSize;
                    int end = Math.min(start + config.batchSize, train.size());
                    trainStep(order, start, end, lossSum, correct);
                    progress.step(epoch, config.epochs, batch + 1, stepsPerEpoch);
                }
                method.onEpochEnd(this);
                double loss = lossSum.getFloat() / stepsPerEpoch;
                double trainAccuracy = (double) correct.getLong() / train.size();
                double testAccuracy = evaluate(test);
                double sparsity = sparseModel.sparsity();
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                history.add(new EpochStats(epoch + 1, loss, trainAccuracy, testAccuracy, sparsity,
                        learningRate.valueAt(step - 1), seconds));
                progress.epoch(epoch, config.epochs, loss, trainAccuracy, testAccuracy, sparsity, seconds);
            }
        }
        double trainSeconds = (System.nanoTime() - started) / 1e9;
        RunInfo info = new RunInfo(config.modelName, config.data.train().name(), method.name(),
                method.targetSparsity(), config.epochs, config.seed, device.toString());
        return Run.of(info, history, layerStats(), trainSeconds, step);
    }

    private void trainStep(NDArray order, int start, int end, NDArray lossSum, NDArray correct) {
        try (NDScope ignored = new NDScope()) {
            NDArray images = train.images(order, start, end);
            NDArray labels = train.labels(order, start, end);
            NDArray logits;
            NDArray loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                logits = trainer.forward(new NDList(images)).singletonOrThrow();
                loss = trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
                collector.backward(loss);
            }
            method.afterBackward(this);
            trainer.step();
            step++;
            method.afterStep(this);
            lossSum.addi(loss);
            correct.addi(logits.argMax(1).eq(labels).sum());
        }
    }

    /** Accuracy over a whole dataset in inference mode (BatchNorm uses running statistics). */
    private double evaluate(DeviceData data) {
        int batch = 1000;
        NDManager manager = model.getNDManager();
        try (NDArray correct = manager.zeros(new Shape(), DataType.INT64, device)) {
            for (int start = 0; start < data.size(); start += batch) {
                int end = Math.min(start + batch, data.size());
                try (NDScope ignored = new NDScope()) {
                    NDArray logits = trainer.evaluate(new NDList(data.images(null, start, end))).singletonOrThrow();
                    correct.addi(logits.argMax(1).eq(data.labels(null, start, end)).sum());
                }
            }
            return (double) correct.getLong() / data.size();
        }
    }

    private List<LayerStats> layerStats() {
        List<LayerStats> stats = new ArrayList<>();
        for (MaskedWeight weight : sparseModel.weights()) {
            stats.add(new LayerStats(weight.name(), weight.shape().getShape(), weight.size(), sparseModel.nonzeros(weight)));
        }
        return stats;
    }

    @Override
    public SparseModel model() {
        return sparseModel;
    }

    @Override
    public long step() {
        return step;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public int epochs() {
        return config.epochs;
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public void close() {
        optimizer.close();
        sparseModel.close();
        train.close();
        test.close();
        trainer.close();
        model.close();
    }
}
