package org.prune4j.gap;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import org.prune4j.model.MaskedWeight;
import org.prune4j.model.SparseModel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A host copy of every parameter of a block (weights, biases, BatchNorm statistics) and of every mask
 * (null for a dense layer): what P-GaP hands from the combined model to its workers and back, in memory
 * or as a file. Read at round boundaries only, never per step.
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

    /** Writes the state to a file (replaced if present). */
    public void write(Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model state " + file, e);
        }
    }

    /** The file's bytes, as {@link #write(Path)} writes them (what crosses to a worker on another machine). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void write(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        out.writeInt(names.size());
        for (int i = 0; i < names.size(); i++) {
            out.writeUTF(names.get(i));
            writeFloats(out, parameters.get(i));
        }
        out.writeInt(masks.size());
        for (float[] mask : masks) {
            out.writeBoolean(mask != null);
            if (mask != null) {
                writeFloats(out, mask);
            }
        }
        out.flush();
    }

    /** Reads a state written by {@link #write}. */
    public static ModelState read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model state " + file, e);
        }
    }

    /** Reads a state from the bytes {@link #toBytes()} gave. */
    public static ModelState fromBytes(byte[] bytes) {
        try {
            return read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model state (" + bytes.length + " bytes)", e);
        }
    }

    private static ModelState read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
        int count = in.readInt();
        List<String> names = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(in.readUTF());
            values.add(readFloats(in));
        }
        int maskCount = in.readInt();
        List<float[]> masks = new ArrayList<>();
        for (int i = 0; i < maskCount; i++) {
            masks.add(in.readBoolean() ? readFloats(in) : null);
        }
        return new ModelState(List.copyOf(names), values, masks);
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] values = new float[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }
}
