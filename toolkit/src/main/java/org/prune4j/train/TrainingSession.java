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
import ai.djl.nn.Parameter;


import org.prune4j.kernel.TorchCpuAllocator;
import org.prune4j.method.ResumableRandom;
import org.prune4j.method.SparsityMethod;
import org.prune4j.method.TrainingContext;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.nn.TransformingParameterStore;
import org.prune4j.nn.WeightTransform;
import org.prune4j.optim.MaskAwareOptimizer;
import org.prune4j.report.KernelPaths;
import org.prune4j.report.MaskUpdate;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A training run driven one step at a time: the model, its masks, the mask-aware optimizer and the
 * training data on the device, with the sparsity method's hooks called at the same events as in
 * {@link SparseTraining#fit()}, which is built on this class. Use it to benchmark steps, or to look at
 * the model between steps in a notebook.
 *
 * <pre>{@code
 * try (TrainingSession session = SparseTraining.of("lenet300", Datasets.mnist()).method(gmp).session()) {
 *     for (int i = 0; i < 1000; i++) {
 *         session.trainStep();
 *     }
 *     session.model().sparsity();
 * }
 * }</pre>
 *
 * <p>Per step: forward and backward inside a GradientCollector, then the method's after-backward hook
 * (gradients readable), the mask-aware optimizer step (which re-applies masks), and the after-step hook.
 * Everything a step creates lives in an {@link NDScope} closed at the end of the step. Loss and accuracy
 * are summed on the device; a step never reads from the device. When an epoch's batches are used up, the
 * next step ends that epoch (the method's epoch-end hook) and starts the next one in a new shuffled order.
 *
 * <p>The step is {@link #trainStep()}, not {@code step()}: {@link #step()} is the step count every
 * method sees through {@link TrainingContext}.
 *
 * <p>Safety: the loss is watched for NaN and infinity without a per-step device read ({@link FiniteCheck}), and
 * parameters at epoch ends: training stops with a {@link TrainingDivergedException} naming the step. A step
 * first checks its thread's interrupt flag and stops with a {@link TrainingInterruptedException} (what a
 * notebook kernel's interrupt does). Everything a failing step opened (GradientCollector, scope) is closed.
 *
 * <p>Not thread-safe; DJL allows one open GradientCollector per process, so the steps of all sessions in
 * one JVM take a process-wide lock: a step of a new session waits while an interrupted one in another
 * thread finishes its last step, instead of failing on DJL's "already collecting" error.
 */
public final class TrainingSession implements TrainingContext, AutoCloseable {

    /** Mean training loss and accuracy of a finished epoch, read from the device once. */
    public record EpochResult(double loss, double trainAccuracy) {}

    private final SparseTraining config;
    private final SparsityMethod method;
    private final Device device;
    // One open GradientCollector per process (DJL): steps of all sessions take turns.
    private static final ReentrantLock STEP_LOCK = new ReentrantLock();
    private static final long STEP_LOCK_WAIT_SECONDS = 600;

    private final ResumableRandom random;
    private final Model model;
    private final Trainer trainer;
    // What the forward passes read the parameters through: the trainer's arrays, transformed for PDP.
    private final TransformingParameterStore store;
    private final MaskAwareOptimizer optimizer;
    private final SparseModel sparseModel;
    private final DeviceData train;
    private final DeviceData test;
    private final int stepsPerEpoch;
    private long step;
    private int epoch;
    private int stepInEpoch;
    private int samplesInEpoch;
    // The running epoch's shuffled order and device-side sums; null between epochs.
    private NDArray order;
    private NDArray lossSum;
    private NDArray correct;
    private final FiniteCheck finiteCheck;
    private final MaskTrace maskTrace;
    /** Steps through the sparse kernel where the run allows it (null: every step through DJL). */
    private final SparseMlpStep sparseStep;
    /** The parameters the optimizer updates: those that require a gradient, in the block's order. */
    private final List<Parameter> trainedParameters;

    /** Builds the model and optimizer, copies the data to the device and calls the method's start hook. */
    TrainingSession(SparseTraining config) {
        this.config = config;
        this.method = config.method;
        this.device = config.device != null ? config.device : Devices.auto();
        GradMode.offInThisThread();
        // Any model, zoo or not: oneDNN must never see stale bytes in its padding lanes (TorchCpuAllocator).
        TorchCpuAllocator.zeroFill();
        this.random = new ResumableRandom(config.seed);
        this.stepsPerEpoch = (config.data.train().size() + config.batchSize - 1) / config.batchSize;
        this.optimizer = config.optimizer.create(stepsPerEpoch, config.epochs);
        this.finiteCheck = new FiniteCheck(config.finiteCheckEvery, stepsPerEpoch);

        // Seed before the block is built and initialised: weight initialisation draws from the engine.
        Engine.getInstance().setRandomSeed((int) config.seed);
        Block block = config.modelFactory.apply(config.data.train().classes());
        this.model = Model.newInstance(config.modelName, device);
        Trainer newTrainer = null;
        DeviceData newTrain = null;
        DeviceData newTest = null;
        SparseModel newSparseModel = null;
        try {
            model.setBlock(block);
            DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer)
                    .optDevices(new Device[] {device});
            newTrainer = model.newTrainer(trainingConfig);
            newTrain = new DeviceData(config.data.train(), model.getNDManager(), device);
            newTest = new DeviceData(config.data.test(), model.getNDManager(), device);
            newTrainer.initialize(newTrain.inputShape());
            SparseModel.Builder builder = SparseModel.builder(block);
            config.includes.forEach(builder::include);
            config.excludes.forEach(builder::exclude);
            newSparseModel = builder.build();
            optimizer.bind(newSparseModel);
            // Only methods that change weights inside the forward pass pay for the transform.
            this.store = new TransformingParameterStore(model.getNDManager(), newSparseModel,
                    method instanceof WeightTransform transform ? transform : null);
            this.trainer = newTrainer;
            this.trainedParameters = block.getParameters().values().stream().filter(Parameter::requiresGradient)
                    .toList();
            this.train = newTrain;
            this.test = newTest;
            this.sparseModel = newSparseModel;
            // Registered before the start hook, so a method's first masks (static, ERK start) are row 0.
            this.maskTrace = new MaskTrace(newSparseModel, () -> step, stepsPerEpoch, model.getNDManager());
            newSparseModel.addListener(maskTrace);
            Shape input = newTrain.inputShape();
            this.sparseStep = SparseMlpStep.of(config.sparseKernel, block, newSparseModel, optimizer, method,
                    config.batchSize, Math.toIntExact(input.size() / input.get(0)));
            method.onStart(this);
        } catch (RuntimeException | Error e) {
            optimizer.close(); // the trace's arrays, if any, go with model.close() (a sub-manager of its manager)
            if (newSparseModel != null) {
                newSparseModel.close();
            }
            if (newTrainer != null) {
                newTrainer.close();
            }
            model.close();
            throw e;
        }
    }

    /**
     * One training step on the next batch: forward, backward, the method's after-backward hook, the
     * optimizer step (masks re-applied), the after-step hook. Reads nothing from the device, except one
     * number every {@link FiniteCheck#DEFAULT_EVERY} steps to stop at a NaN loss.
     *
     * @throws TrainingInterruptedException if the thread was interrupted (the flag is cleared)
     * @throws TrainingDivergedException    if a loss since the last check was NaN or infinite
     */
    public void trainStep() {
        if (Thread.interrupted()) {
            throw new TrainingInterruptedException(step, epoch + 1);
        }
        GradMode.offInThisThread();
        if (stepInEpoch == stepsPerEpoch) {
            endEpoch();
        }
        if (order == null) {
            beginEpoch();
        }
        int start = stepInEpoch * config.batchSize;
        int end = Math.min(start + config.batchSize, train.size());
        lockStep();
        try (NDScope ignored = new NDScope()) {
            NDArray images = train.images(order, start, end);
            NDArray labels = train.labels(order, start, end);
            if (sparseStep != null && sparseStep.applies(step)) {
                sparseStep(images, labels);
            } else {
                denseStep(images, labels);
            }
        } finally {
            STEP_LOCK.unlock();
        }
        stepInEpoch++;
        samplesInEpoch += end - start;
        if (finiteCheck.due()) {
            finiteCheck.checkLosses(block());
        }
    }

    /** Forward and backward through DJL, the method's hooks and the optimizer: dense products, masked weights. */
    private void denseStep(NDArray images, NDArray labels) {
        NDArray logits;
        NDArray loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            logits = model.getBlock().forward(store, new NDList(images), true).singletonOrThrow();
            loss = trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
            collector.backward(loss);
        }
        method.afterBackward(this);
        updateParameters();
        step++;
        method.afterStep(this);
        lossSum.addi(loss);
        correct.addi(logits.argMax(1).eq(labels).sum());
        finiteCheck.keep(loss, step, epoch + 1, stepInEpoch + 1);
    }

    /**
     * The optimizer's update of every trained parameter from its own accumulated gradient, which the update
     * clears. The same updates as DJL's {@code trainer.step()} (which updates every parameter that requires a
     * gradient, each on its own), without the copy of each gradient DJL's parameter server makes first: six
     * allocations and copies per LeNet-300-100 step, a tenth of a millisecond.
     */
    private void updateParameters() {
        for (Parameter parameter : trainedParameters) {
            optimizer.updateFromOwnGradient(parameter.getId(), parameter.getArray());
        }
    }

    /**
     * The same step through {@link SparseMlpStep}: forward, backward and SGD at kept weights only, in one native
     * call. The method's hooks run in the same order; its after-backward hook does nothing at this step
     * ({@link SparsityMethod#needsBackwardHookAt}), and masks its after-step hook changes rebuild the kernel's rows.
     */
    private void sparseStep(NDArray images, NDArray labels) {
        method.afterBackward(this);
        double[] lossAndCorrect = sparseStep.run(images, labels);
        step++;
        method.afterStep(this);
        NDArray loss = images.getManager().create((float) lossAndCorrect[0]);
        lossSum.addi(loss);
        correct.addi(images.getManager().create((long) lossAndCorrect[1]));
        finiteCheck.keep(loss, step, epoch + 1, stepInEpoch + 1);
    }

    /** The sparse-kernel step of this run, or null where the run never takes it (for tests). */
    SparseMlpStep sparseStep() {
        return sparseStep;
    }

    /**
     * Which path each layer took through the training kernel at its latest step, or null where no step of this
     * session went through it.
     */
    public KernelPaths kernelPaths() {
        return sparseStep == null ? null : sparseStep.paths();
    }

    /** Waits while a step of another session (an interrupted one finishing, in another thread) runs. */
    private void lockStep() {
        if (STEP_LOCK.tryLock()) {
            return;
        }
        try {
            if (!STEP_LOCK.tryLock(STEP_LOCK_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("another training in this JVM has been stepping for "
                        + STEP_LOCK_WAIT_SECONDS + " s: DJL allows one GradientCollector per process; stop it first");
            }
        } catch (InterruptedException e) {
            throw new TrainingInterruptedException(step, epoch + 1);
        }
    }

    /** Steps taken in the current epoch, from 0 to {@link #stepsPerEpoch()}. */
    public int stepInEpoch() {
        return stepInEpoch;
    }

    /** Every mask update so far, one row per step at which masks changed (see {@link MaskUpdate}). */
    public List<MaskUpdate> maskUpdates() {
        return maskTrace.rows();
    }

    /** Replaces the recorded mask updates with a checkpoint's, after {@link #restore} set the masks again. */
    void restoreMaskUpdates(List<MaskUpdate> rows) {
        maskTrace.restore(rows);
    }

    /**
     * The fraction of the first masked layer's weights kept per input (one value per column of its weight
     * matrix; for LeNet-300-100 on MNIST the 784 pixels), or null when that layer is not fully connected.
     * Reads 1 number per input from the device: call it at epoch ends, not per step.
     */
    public double[] inputDensity() {
        MaskedWeight first = sparseModel.weights().get(0);
        if (first.shape().dimension() != 2) {
            return null;
        }
        try (NDScope ignored = new NDScope()) {
            float[] kept = sparseModel.values(first).neq(0f).toType(DataType.FLOAT32, false).mean(new int[] {0})
                    .toFloatArray();
            double[] out = new double[kept.length];
            for (int i = 0; i < kept.length; i++) {
                out[i] = Math.min(1.0, Math.max(0.0, kept[i]));
            }
            return out;
        }
    }

    /** The device the session trains on. */
    public Device device() {
        return device;
    }

    /** The sparsity method whose hooks the session calls. */
    public SparsityMethod method() {
        return method;
    }

    /**
     * Ends the current epoch: the method's epoch-end hook, then one read of the epoch's mean loss and
     * training accuracy. The next step starts the next epoch.
     *
     * @throws IllegalStateException if no step was taken in this epoch
     */
    public EpochResult finishEpoch() {
        if (order == null) {
            throw new IllegalStateException("no step taken in epoch " + (epoch + 1) + ": nothing to finish");
        }
        GradMode.offInThisThread();
        finiteCheck.checkLosses(block());
        FiniteCheck.checkParameters(block(), step, epoch + 1);
        method.onEpochEnd(this);
        // float / int, as the loop has always computed it: same seed, same printed loss.
        double loss = lossSum.getFloat() / stepInEpoch;
        double trainAccuracy = (double) correct.getLong() / samplesInEpoch;
        closeEpoch();
        return new EpochResult(loss, trainAccuracy);
    }

    /** Ends the epoch without reading its sums (no host read), when stepping runs on past it. */
    private void endEpoch() {
        method.onEpochEnd(this);
        closeEpoch();
    }

    private void beginEpoch() {
        openEpoch(0f, 0L);
        stepInEpoch = 0;
        samplesInEpoch = 0;
    }

    /** The epoch's order and device sums, starting from the given sums (0 for a new epoch). */
    private void openEpoch(float loss, long hits) {
        NDManager manager = model.getNDManager();
        order = train.order(config.seed, epoch);
        lossSum = manager.create(loss);
        correct = manager.create(hits);
        // They live for the whole epoch, beyond any scope a caller of trainStep() may have opened.
        NDScope.unregister(order, lossSum, correct);
    }

    private void closeEpoch() {
        order.close();
        lossSum.close();
        correct.close();
        order = null;
        lossSum = null;
        correct = null;
        epoch++;
        stepInEpoch = 0;
        samplesInEpoch = 0;
    }

    /**
     * The DJL block being trained: every parameter, masked or not (P-GaP copies them between workers;
     * FLOPs accounting and model files read it).
     */
    public Block block() {
        return model.getBlock();
    }

    /** The shape the block was initialised with: batch 1, then channels, height, width. */
    Shape inputShape() {
        return train.inputShape();
    }

    /** Accuracy over the whole test set in inference mode (BatchNorm uses running statistics). */
    public double testAccuracy() {
        return evaluate(test);
    }

    private double evaluate(DeviceData data) {
        GradMode.offInThisThread();
        int batch = 1000;
        NDManager manager = model.getNDManager();
        try (NDArray hits = manager.zeros(new Shape(), DataType.INT64, device)) {
            for (int start = 0; start < data.size(); start += batch) {
                int end = Math.min(start + batch, data.size());
                try (NDScope ignored = new NDScope()) {
                    NDArray logits = model.getBlock().forward(store, new NDList(data.images(null, start, end)), false)
                            .singletonOrThrow();
                    hits.addi(logits.argMax(1).eq(data.labels(null, start, end)).sum());
                }
            }
            return (double) hits.getLong() / data.size();
        }
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
    public List<NDArray> parameterArrays() {
        return model.getBlock().getParameters().values().stream().map(ai.djl.nn.Parameter::getArray).toList();
    }

    @Override
    public void resetOptimizerState() {
        optimizer.resetState();
    }


    /** The training this session runs (for its checkpoint's fingerprint). */
    SparseTraining config() {
        return config;
    }

    /** The manager of the model's arrays. */
    NDManager manager() {
        return model.getNDManager();
    }

    /** The optimizer, whose state and update counts a checkpoint holds. */
    MaskAwareOptimizer optimizer() {
        return optimizer;
    }

    /** The random source, whose state a checkpoint holds. */
    ResumableRandom resumableRandom() {
        return random;
    }

    /** Reads every kept loss and every parameter: throws if one is non-finite (a checkpoint never holds a NaN). */
    void checkFinite() {
        finiteCheck.checkLosses(block());
        FiniteCheck.checkParameters(block(), step, epoch + 1);
    }

    /**
     * Where the session is in its run, as a checkpoint records it: the step, the epoch and the position in it,
     * and the epoch's running sums.
     */
    record Position(long step, int epoch, int stepInEpoch, int samplesInEpoch, boolean inEpoch, float lossSum,
                    long correct) {}

    /** The current position; reads the epoch's two device sums (at a checkpoint only). */
    Position position() {
        // A float and a count round-trip exactly through a checkpoint's JSON.
        return new Position(step, epoch, stepInEpoch, samplesInEpoch, order != null,
                order == null ? 0f : lossSum.getFloat(), order == null ? 0L : correct.getLong());
    }

    /** Continues from {@code position}: the epoch's order and sums are rebuilt when it is inside an epoch. */
    void moveTo(Position position) {
        if (order != null) {
            order.close();
            lossSum.close();
            correct.close();
            order = null;
        }
        step = position.step();
        epoch = position.epoch();
        stepInEpoch = position.stepInEpoch();
        samplesInEpoch = position.samplesInEpoch();
        if (position.inEpoch()) {
            openEpoch(position.lossSum(), position.correct());
        }
    }

    /** Frees the model, masks, optimizer state and the data copied to the device. */
    @Override
    public void close() {
        finiteCheck.close();
        if (order != null) {
            order.close();
            lossSum.close();
            correct.close();
            order = null;
        }
        optimizer.close();
        if (sparseStep != null) {
            sparseStep.close();
        }
        maskTrace.close();
        sparseModel.close();
        train.close();
        test.close();
        trainer.close();
        model.close();
    }
}
