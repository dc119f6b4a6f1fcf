package org.prune4j.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.prune4j.kernel.TorchCpuAllocator;
import org.prune4j.method.MethodState;
import org.prune4j.method.Resumable;
import org.prune4j.method.ResumableRandom;
import org.prune4j.method.SparsityMethod;
import org.prune4j.method.TrainingContext;
import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;
import org.prune4j.nn.TransformingParameterStore;
import org.prune4j.nn.WeightTransform;
import org.prune4j.optim.MaskAwareOptimizer;
import org.prune4j.report.MaskUpdate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            this.train = newTrain;
            this.test = newTest;
            this.sparseModel = newSparseModel;
            // Registered before the start hook, so a method's first masks (static, ERK start) are row 0.
            this.maskTrace = new MaskTrace(newSparseModel, () -> step, stepsPerEpoch, model.getNDManager());
            newSparseModel.addListener(maskTrace);
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
            NDArray logits;
            NDArray loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                logits = model.getBlock().forward(store, new NDList(images), true).singletonOrThrow();
                loss = trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
                collector.backward(loss);
            }
            method.afterBackward(this);
            trainer.step();
            step++;
            method.afterStep(this);
            lossSum.addi(loss);
            correct.addi(logits.argMax(1).eq(labels).sum());
            finiteCheck.keep(loss, step, epoch + 1, stepInEpoch + 1);
        } finally {
            STEP_LOCK.unlock();
        }
        stepInEpoch++;
        samplesInEpoch += end - start;
        if (finiteCheck.due()) {
            finiteCheck.checkLosses(block());
        }
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

    /**
     * What identifies this run for a checkpoint: model, data, method, optimizer, schedule length, batch
     * size, seed, every parameter's name and shape, and the recipe when the training was built from one. A
     * checkpoint whose fingerprint differs is refused (the recipe is compared when both sides have one).
     */
    JsonObject fingerprint() {
        JsonObject json = new JsonObject();
        json.addProperty("model", config.modelName);
        json.addProperty("dataset", config.data.name());
        json.addProperty("trainSize", config.data.train().size());
        json.addProperty("testSize", config.data.test().size());
        json.addProperty("classes", config.data.train().classes());
        json.addProperty("method", method.describe());
        json.addProperty("optimizer", config.optimizer.describe());
        json.addProperty("epochs", config.epochs);
        json.addProperty("batchSize", config.batchSize);
        json.addProperty("seed", config.seed);
        JsonObject parameters = new JsonObject();
        for (Pair<String, Parameter> parameter : model.getBlock().getParameters()) {
            parameters.addProperty(parameter.getKey(), parameter.getValue().getArray().getShape().toString());
        }
        json.add("parameters", parameters);
        if (config.recipe != null) {
            json.add(RECIPE, JsonParser.parseString(config.recipe.toJson()));
        }
        return json;
    }

    /** The fingerprint's key for the recipe, present when the training was built from one. */
    private static final String RECIPE = "recipe";

    /**
     * Adds this session's state to a checkpoint: position, random source, optimizer counts to
     * {@code header}; parameters, masks, optimizer state and the method's tensors to {@code tensors} (live
     * arrays: write them before the next step). Checks the losses and parameters first, so a checkpoint
     * never holds a NaN.
     *
     * @throws TrainingDivergedException if a loss or parameter is non-finite
     */
    void checkpoint(JsonObject header, Map<String, NDArray> tensors) {
        finiteCheck.checkLosses(block());
        FiniteCheck.checkParameters(block(), step, epoch + 1);
        header.add("run", fingerprint());
        JsonObject position = new JsonObject();
        position.addProperty("step", step);
        position.addProperty("epoch", epoch);
        position.addProperty("stepInEpoch", stepInEpoch);
        position.addProperty("samplesInEpoch", samplesInEpoch);
        position.addProperty("inEpoch", order != null);
        // The epoch's device sums, read at a checkpoint only; a float and a count round-trip exactly.
        position.addProperty("lossSum", order == null ? 0f : lossSum.getFloat());
        position.addProperty("correct", order == null ? 0L : correct.getLong());
        header.add("position", position);
        JsonArray randomState = new JsonArray();
        for (long value : random.state()) {
            randomState.add(value);
        }
        header.add("random", randomState);
        Map<String, String> names = parameterNamesById();
        JsonObject counts = new JsonObject();
        optimizer.updateCounts().forEach((id, count) -> counts.addProperty(names.get(id), count));
        header.add("updateCounts", counts);
        for (Pair<String, Parameter> parameter : model.getBlock().getParameters()) {
            tensors.put("parameter/" + parameter.getKey(), parameter.getValue().getArray());
            List<NDArray> state = optimizer.state(parameter.getValue().getId());
            for (int i = 0; i < state.size(); i++) {
                tensors.put("optimizer/" + parameter.getKey() + "/" + i, state.get(i));
            }
        }
        for (MaskedWeight weight : sparseModel.weights()) {
            NDArray mask = sparseModel.mask(weight);
            if (mask != null) {
                tensors.put("mask/" + weight.name(), mask);
            }
        }
        if (method instanceof Resumable resumable) {
            MethodState state = new MethodState();
            resumable.saveState(state);
            header.add("method", state.toJson());
            state.tensors().forEach((key, tensor) -> tensors.put("method/" + key, tensor));
        }
    }

    /**
     * Continues from a checkpoint read into {@code contents}: checks that it comes from this run (same
     * fingerprint) and holds every tensor with the right shape before changing anything, then restores
     * parameters, masks, optimizer state, position, random source and the method's state.
     *
     * @throws CheckpointException naming {@code file} and the first difference
     */
    void restore(CheckpointFile.Contents contents, Path file) {
        GradMode.offInThisThread();
        JsonObject header = contents.header();
        Map<String, NDArray> tensors = contents.tensors();
        checkSameRun(header.getAsJsonObject("run"), file);
        for (Pair<String, Parameter> parameter : model.getBlock().getParameters()) {
            requireTensor(tensors, "parameter/" + parameter.getKey(), parameter.getValue().getArray().getShape(), file);
        }
        for (MaskedWeight weight : sparseModel.weights()) {
            if (tensors.containsKey("mask/" + weight.name())) {
                requireTensor(tensors, "mask/" + weight.name(), weight.shape(), file);
            }
        }
        JsonObject position = header.getAsJsonObject("position");
        for (Pair<String, Parameter> parameter : model.getBlock().getParameters()) {
            copyInto(tensors.get("parameter/" + parameter.getKey()), parameter.getValue().getArray());
        }
        NDManager manager = model.getNDManager();
        for (MaskedWeight weight : sparseModel.weights()) {
            NDArray saved = tensors.get("mask/" + weight.name());
            NDArray mask = null;
            if (saved != null) {
                mask = manager.zeros(saved.getShape(), saved.getDataType());
                copyInto(saved, mask);
            }
            sparseModel.setMask(weight, mask);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Pair<String, Parameter> parameter : model.getBlock().getParameters()) {
            String name = parameter.getKey();
            JsonElement count = header.getAsJsonObject("updateCounts").get(name);
            if (count != null) {
                counts.put(parameter.getValue().getId(), count.getAsInt());
            }
            List<NDArray> state = new ArrayList<>();
            for (int i = 0; tensors.containsKey("optimizer/" + name + "/" + i); i++) {
                state.add(tensors.get("optimizer/" + name + "/" + i));
            }
            if (count != null) {
                optimizer.restoreState(parameter.getValue().getId(), parameter.getValue().getArray(), state);
            }
        }
        optimizer.restoreUpdateCounts(counts);
        if (order != null) {
            order.close();
            lossSum.close();
            correct.close();
            order = null;
        }
        step = position.get("step").getAsLong();
        epoch = position.get("epoch").getAsInt();
        stepInEpoch = position.get("stepInEpoch").getAsInt();
        samplesInEpoch = position.get("samplesInEpoch").getAsInt();
        if (position.get("inEpoch").getAsBoolean()) {
            openEpoch(position.get("lossSum").getAsFloat(), position.get("correct").getAsLong());
        }
        JsonArray randomState = header.getAsJsonArray("random");
        long[] state = new long[randomState.size()];
        for (int i = 0; i < state.length; i++) {
            state[i] = randomState.get(i).getAsLong();
        }
        random.restore(state);
        if (method instanceof Resumable resumable) {
            Map<String, NDArray> methodTensors = new LinkedHashMap<>();
            tensors.forEach((key, tensor) -> {
                if (key.startsWith("method/")) {
                    methodTensors.put(key.substring("method/".length()), tensor);
                }
            });
            JsonObject methodJson = header.has("method") ? header.getAsJsonObject("method") : new JsonObject();
            resumable.restoreState(MethodState.of(methodJson, methodTensors), this);
        }
    }

    private void checkSameRun(JsonObject saved, Path file) {
        JsonObject here = fingerprint();
        for (String key : here.keySet()) {
            // A training built through the API has no recipe: the other keys still identify the run.
            if (key.equals("parameters") || key.equals(RECIPE) && (saved == null || !saved.has(RECIPE))) {
                continue;
            }
            JsonElement there = saved == null ? null : saved.get(key);
            if (!here.get(key).equals(there)) {
                throw new CheckpointException("checkpoint " + file + " is from another run: " + key + " "
                        + (there == null ? "(missing)" : there) + " there, " + here.get(key) + " here; refusing to resume");
            }
        }
        JsonObject savedParameters = saved.getAsJsonObject("parameters");
        JsonObject parameters = here.getAsJsonObject("parameters");
        if (!savedParameters.keySet().equals(parameters.keySet())) {
            throw new CheckpointException("checkpoint " + file + " is from another model: parameters "
                    + savedParameters.keySet() + " there, " + parameters.keySet() + " here; refusing to resume");
        }
        for (String name : parameters.keySet()) {
            if (!parameters.get(name).equals(savedParameters.get(name))) {
                throw new CheckpointException("checkpoint " + file + " is from another model: parameter " + name
                        + " has shape " + savedParameters.get(name).getAsString() + " there, "
                        + parameters.get(name).getAsString() + " here; refusing to resume");
            }
        }
    }

    /**
     * Overwrites {@code target} with {@code source} in place: bit-exact (signed zeros included), on the
     * target's device. Not {@code NDArray.copyTo}, whose PyTorch form makes the target share the source's
     * buffer.
     */
    private static void copyInto(NDArray source, NDArray target) {
        target.set(new NDIndex("..."), source.toDevice(target.getDevice(), false));
    }

    private static void requireTensor(Map<String, NDArray> tensors, String name, Shape shape, Path file) {
        NDArray tensor = tensors.get(name);
        if (tensor == null) {
            throw new CheckpointException("checkpoint " + file + " has no tensor " + name + ": expected one of shape " + shape);
        }
        if (!tensor.getShape().equals(shape)) {
            throw new CheckpointException("checkpoint " + file + " holds " + name + " of shape " + tensor.getShape()
                    + ", expected " + shape);
        }
    }

    private Map<String, String> parameterNamesById() {
        Map<String, String> names = new HashMap<>();
        for (Pair<String, Parameter> parameter : model.getBlock().getParameters()) {
            names.put(parameter.getValue().getId(), parameter.getKey());
        }
        return names;
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
        maskTrace.close();
        sparseModel.close();
        train.close();
        test.close();
        trainer.close();
        model.close();
    }
}
