package org.prune4j.gap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.prune4j.model.MaskedWeight;
import org.prune4j.io.TensorFile;
import org.prune4j.model.SparseModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host copy of every parameter of a block (weights, biases, BatchNorm statistics) and of every mask
 * (null for a dense layer): what P-GaP hands from the combined model to its workers and back, in memory
 * or as a file (a {@link TensorFile}, the checkpoints' format, of kind {@value #KIND}). Read at round
 * boundaries only, never per step.
 *
 * @param names      parameter names, as {@code Block.getParameters()} lists them
 * @param parameters parameter values, flattened, same order
 * @param masks      one mask per maskable weight (model order), flattened, or null when dense
 */
public record ModelState(List<String> names, List<float[]> parameters, List<float[]> masks) {

    /** Copies the block's parameters and the model's masks to the host. */
    public static ModelState capture(Block block, SparseModel model) {
        List<String> names = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            names.add(pair.getKey());
            values.add(pair.getValue().getArray().toFloatArray());
        }
        List<float[]> masks = new ArrayList<>();
        for (MaskedWeight weight : model.weights()) {
            NDArray mask = model.mask(weight);
            masks.add(mask == null ? null : mask.toFloatArray());
        }
        return new ModelState(List.copyOf(names), values, masks);
    }

    /** Writes the values into the block's parameters and sets the masks (the optimizer hears of them). */
    public void restore(Block block, SparseModel model) {
        int i = 0;
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (!pair.getKey().equals(names.get(i))) {
                throw new IllegalStateException("parameter " + i + " is '" + pair.getKey() + "', the state has '" + names.get(i) + "'");
            }
            pair.getValue().getArray().set(FloatBuffer.wrap(parameters.get(i)));
            i++;
        }
        for (MaskedWeight weight : model.weights()) {
            float[] mask = masks.get(weight.index());
            NDArray values = model.values(weight);
            model.setMask(weight, mask == null ? null : values.getManager().create(mask, weight.shape()));
        }
    }

    /** The {@link TensorFile} kind of a model state. */
    static final String KIND = "model-state";

    /** Writes the state to a file (replaced atomically if present), in the checkpoints' {@link TensorFile} format. */
    public void write(Path file) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TensorFile.write(file, KIND, header(), tensors(manager));
        }
    }

    /** The file's bytes, as {@link #write(Path)} writes them (what crosses to a worker on another machine). */
    public byte[] toBytes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            return TensorFile.toBytes(KIND, header(), tensors(manager));
        }
    }

    /** The header: which masks are present (a dense layer has none). */
    private JsonObject header() {
        JsonObject header = new JsonObject();
        JsonArray masked = new JsonArray();
        masks.forEach(mask -> masked.add(mask != null));
        header.add("masked", masked);
        return header;
    }

    /** Parameters by name ({@code parameter/NAME}) then masks by weight index ({@code mask/I}), flattened. */
    private Map<String, NDArray> tensors(NDManager manager) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            tensors.put(PARAMETER + names.get(i), manager.create(parameters.get(i)));
        }
        for (int i = 0; i < masks.size(); i++) {
            if (masks.get(i) != null) {
                tensors.put(MASK + i, manager.create(masks.get(i)));
            }
        }
        return tensors;
    }

    private static final String PARAMETER = "parameter/";
    private static final String MASK = "mask/";

    /** Reads a state written by {@link #write}. */
    public static ModelState read(Path file) {
        try {
            return fromBytes(Files.readAllBytes(file), "model state " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model state " + file, e);
        }
    }

    /** Reads a state from the bytes {@link #toBytes()} gave. */
    public static ModelState fromBytes(byte[] bytes) {
        return fromBytes(bytes, "model state (" + bytes.length + " bytes)");
    }

    private static ModelState fromBytes(byte[] bytes, String what) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TensorFile.Contents contents = TensorFile.read(bytes, what, KIND, manager);
            List<String> names = new ArrayList<>();
            List<float[]> values = new ArrayList<>();
            contents.tensors().forEach((name, tensor) -> {
                if (name.startsWith(PARAMETER)) {
                    names.add(name.substring(PARAMETER.length()));
                    values.add(tensor.toFloatArray());
                }
            });
            JsonArray masked = contents.header().getAsJsonArray("masked");
            List<float[]> masks = new ArrayList<>();
            for (int i = 0; i < masked.size(); i++) {
                masks.add(masked.get(i).getAsBoolean() ? contents.tensors().get(MASK + i).toFloatArray() : null);
            }
            return new ModelState(List.copyOf(names), values, masks);
        }
    }
}
