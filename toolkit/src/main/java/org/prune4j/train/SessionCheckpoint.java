package org.prune4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.prune4j.method.MethodState;
import org.prune4j.method.Resumable;
import org.prune4j.model.MaskedWeight;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint holds of a {@link TrainingSession}, and how the session comes back from one: the run's
 * fingerprint, the position, the random source, the optimizer's counts and state, parameters, masks and the
 * method's own state. The file format itself is {@link CheckpointFile}'s; stepping is the session's.
 *
 * <p>Why apart from the session: the session steps; saving and restoring read and set all of its state at once,
 * and are about a file's contents, not about training.
 */
final class SessionCheckpoint {

    private final TrainingSession session;

    SessionCheckpoint(TrainingSession session) {
        this.session = session;
    }

    /**
     * What identifies this run for a checkpoint: model, data, method, optimizer, schedule length, batch
     * size, seed, every parameter's name and shape, and the recipe when the training was built from one. A
     * checkpoint whose fingerprint differs is refused (the recipe is compared when both sides have one).
     */
    JsonObject fingerprint() {
        JsonObject json = new JsonObject();
        json.addProperty("model", session.config().modelName);
        json.addProperty("dataset", session.config().data.name());
        json.addProperty("trainSize", session.config().data.train().size());
        json.addProperty("testSize", session.config().data.test().size());
        json.addProperty("classes", session.config().data.train().classes());
        json.addProperty("method", session.method().describe());
        json.addProperty("optimizer", session.config().optimizer.describe());
        json.addProperty("epochs", session.config().epochs);
        json.addProperty("batchSize", session.config().batchSize);
        json.addProperty("seed", session.config().seed);
        JsonObject parameters = new JsonObject();
        for (Pair<String, Parameter> parameter : session.block().getParameters()) {
            parameters.addProperty(parameter.getKey(), parameter.getValue().getArray().getShape().toString());
        }
        json.add("parameters", parameters);
        if (session.config().recipe != null) {
            json.add(RECIPE, JsonParser.parseString(session.config().recipe.toJson()));
        }
        return json;
    }

    /**
     * The header's key for the sparse kernel's crossover density (SparseMlpStep): calibrated per JVM, so a resumed
     * run takes the saved one and gives every layer the path it had.
     */
    private static final String KERNEL_CROSSOVER = "sparseKernelCrossover";

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
    void save(JsonObject header, Map<String, NDArray> tensors) {
        session.checkFinite();
        header.add("run", fingerprint());
        TrainingSession.Position at = session.position();
        JsonObject position = new JsonObject();
        position.addProperty("step", at.step());
        position.addProperty("epoch", at.epoch());
        position.addProperty("stepInEpoch", at.stepInEpoch());
        position.addProperty("samplesInEpoch", at.samplesInEpoch());
        position.addProperty("inEpoch", at.inEpoch());
        position.addProperty("lossSum", at.lossSum());
        position.addProperty("correct", at.correct());
        header.add("position", position);
        JsonArray randomState = new JsonArray();
        for (long value : session.resumableRandom().state()) {
            randomState.add(value);
        }
        header.add("random", randomState);
        Map<String, String> names = parameterNamesById();
        JsonObject counts = new JsonObject();
        session.optimizer().updateCounts().forEach((id, count) -> counts.addProperty(names.get(id), count));
        header.add("updateCounts", counts);
        if (session.sparseStep() != null) {
            header.addProperty(KERNEL_CROSSOVER, session.sparseStep().crossover());
        }
        for (Pair<String, Parameter> parameter : session.block().getParameters()) {
            tensors.put("parameter/" + parameter.getKey(), parameter.getValue().getArray());
            List<NDArray> state = session.optimizer().state(parameter.getValue().getId());
            for (int i = 0; i < state.size(); i++) {
                tensors.put("optimizer/" + parameter.getKey() + "/" + i, state.get(i));
            }
        }
        for (MaskedWeight weight : session.model().weights()) {
            NDArray mask = session.model().mask(weight);
            if (mask != null) {
                tensors.put("mask/" + weight.name(), mask);
            }
        }
        if (session.method() instanceof Resumable resumable) {
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
    void restore(org.prune4j.io.TensorFile.Contents contents, Path file) {
        GradMode.offInThisThread();
        JsonObject header = contents.header();
        Map<String, NDArray> tensors = contents.tensors();
        checkSameRun(header.getAsJsonObject("run"), file);
        for (Pair<String, Parameter> parameter : session.block().getParameters()) {
            requireTensor(tensors, "parameter/" + parameter.getKey(), parameter.getValue().getArray().getShape(), file);
        }
        for (MaskedWeight weight : session.model().weights()) {
            if (tensors.containsKey("mask/" + weight.name())) {
                requireTensor(tensors, "mask/" + weight.name(), weight.shape(), file);
            }
        }
        JsonObject position = header.getAsJsonObject("position");
        for (Pair<String, Parameter> parameter : session.block().getParameters()) {
            copyInto(tensors.get("parameter/" + parameter.getKey()), parameter.getValue().getArray());
        }
        NDManager manager = session.manager();
        for (MaskedWeight weight : session.model().weights()) {
            NDArray saved = tensors.get("mask/" + weight.name());
            NDArray mask = null;
            if (saved != null) {
                mask = manager.zeros(saved.getShape(), saved.getDataType());
                copyInto(saved, mask);
            }
            session.model().setMask(weight, mask);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Pair<String, Parameter> parameter : session.block().getParameters()) {
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
                session.optimizer().restoreState(parameter.getValue().getId(), parameter.getValue().getArray(), state);
            }
        }
        session.optimizer().restoreUpdateCounts(counts);
        session.moveTo(new TrainingSession.Position(position.get("step").getAsLong(), position.get("epoch").getAsInt(),
                position.get("stepInEpoch").getAsInt(), position.get("samplesInEpoch").getAsInt(),
                position.get("inEpoch").getAsBoolean(), position.get("lossSum").getAsFloat(),
                position.get("correct").getAsLong()));
        JsonArray randomState = header.getAsJsonArray("random");
        long[] state = new long[randomState.size()];
        for (int i = 0; i < state.length; i++) {
            state[i] = randomState.get(i).getAsLong();
        }
        session.resumableRandom().restore(state);
        if (session.sparseStep() != null && header.has(KERNEL_CROSSOVER)) {
            session.sparseStep().useCrossover(header.get(KERNEL_CROSSOVER).getAsDouble());
        }
        if (session.method() instanceof Resumable resumable) {
            Map<String, NDArray> methodTensors = new LinkedHashMap<>();
            tensors.forEach((key, tensor) -> {
                if (key.startsWith("method/")) {
                    methodTensors.put(key.substring("method/".length()), tensor);
                }
            });
            JsonObject methodJson = header.has("method") ? header.getAsJsonObject("method") : new JsonObject();
            resumable.restoreState(MethodState.of(methodJson, methodTensors), session);
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
        for (Pair<String, Parameter> parameter : session.block().getParameters()) {
            names.put(parameter.getValue().getId(), parameter.getKey());
        }
        return names;
    }
}
