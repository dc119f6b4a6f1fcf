package org.prune4j.export;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.prune4j.nn.Models;
import org.prune4j.io.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

/**
 * A model in Prune4J's compressed file format, version 1 (specified in docs/export-format.md): a header
 * (model name, classes, input shape, dataset), then every parameter with its name, shape, dtype and the
 * smallest of four encodings (dense, bitmask + values, CSR, N:M), and a CRC32 over all of it.
 *
 * <pre>{@code
 * ExportReport report = CompressedModel.write(block, header, Path.of("model.p4j"));
 * CompressedModel file = CompressedModel.read(Path.of("model.p4j"));   // validates everything
 * try (Model model = file.newModel()) { ... }                        // zoo models, by name
 * file.loadInto(otherBlock);                                         // any initialised block
 * }</pre>
 *
 * <p>Reading is all or nothing: {@link #read(Path)} reads the whole file, checks length, magic, version
 * and CRC32, and decodes every tensor before it returns; {@link #loadInto(Block)} checks every name, shape
 * and dtype against the block before it changes a single parameter.
 */
public final class CompressedModel {

    /** The first four bytes of every file. */
    public static final byte[] MAGIC = {'P', '4', 'J', 'Z'};
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;
    static final int DTYPE_FLOAT32 = 1;
    private static final int PREAMBLE = 4 + 2 + 2 + 8;

    /** One decoded tensor. */
    record Tensor(String name, long[] shape, Encoding encoding, float[] values) {}

    private final ModelHeader header;
    private final List<Tensor> tensors;

    private CompressedModel(ModelHeader header, List<Tensor> tensors) {
        this.header = header;
        this.tensors = tensors;
    }

    /** The header: model name, classes, input shape, dataset. */
    public ModelHeader header() {
        return header;
    }

    /** The parameter names, in file order. */
    public List<String> names() {
        return tensors.stream().map(Tensor::name).collect(Collectors.toList());
    }

    /** The encoding each parameter was stored with, in file order. */
    public List<Encoding> encodings() {
        return tensors.stream().map(Tensor::encoding).collect(Collectors.toList());
    }

    /** A copy of one parameter's values (row-major), by name. */
    public float[] values(String name) {
        for (Tensor tensor : tensors) {
            if (tensor.name().equals(name)) {
                return tensor.values().clone();
            }
        }
        throw new IllegalArgumentException("no parameter '" + name + "': expected one of " + names());
    }

    /**
     * Writes the parameters of an initialised block: weights of rank 2 and more get the smallest
     * encoding, vectors (biases, BatchNorm) stay dense. Written to a temporary file and moved into place.
     *
     * @return sizes per parameter and against DJL's dense {@code .params} (plain and gzip)
     * @throws IllegalArgumentException if a parameter is not float32
     */
    public static ExportReport write(Block block, ModelHeader header, Path file) throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(payload);
        byte[] headerJson = headerJson(header).getBytes(StandardCharsets.UTF_8);
        writeIntLe(out, headerJson.length);
        out.write(headerJson);
        List<Pair<String, Parameter>> parameters = block.getParameters().stream().collect(Collectors.toList());
        writeIntLe(out, parameters.size());
        List<ExportReport.Entry> entries = new ArrayList<>();
        for (Pair<String, Parameter> pair : parameters) {
            NDArray array = pair.getValue().getArray();
            if (array.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("parameter " + pair.getKey() + " is " + array.getDataType()
                        + ": only float32 is supported");
            }
            long[] shape = array.getShape().getShape();
            float[] values = array.toFloatArray();
            TensorCodec.Encoded encoded = TensorCodec.encode(values, shape, shape.length >= 2);
            byte[] name = pair.getKey().getBytes(StandardCharsets.UTF_8);
            writeShortLe(out, name.length);
            out.write(name);
            out.writeByte(DTYPE_FLOAT32);
            out.writeByte(shape.length);
            for (long dim : shape) {
                writeLongLe(out, dim);
            }
            out.writeByte(encoded.encoding().code);
            writeLongLe(out, encoded.body().length);
            out.write(encoded.body());
            entries.add(new ExportReport.Entry(pair.getKey(), shapeText(shape), encoded.encoding(), encoded.detail(),
                    values.length, encoded.nonzeros(), encoded.body().length));
        }
        out.flush();
        byte[] body = payload.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);
        ByteBuffer preamble = ByteBuffer.allocate(PREAMBLE).order(ByteOrder.LITTLE_ENDIAN);
        preamble.put(MAGIC).putShort((short) VERSION).putShort((short) 0).putLong(body.length);
        ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        AtomicFiles.write(file, stream -> {
            stream.write(preamble.array());
            stream.write(body);
            stream.write(trailer.array());
        });
        byte[] djl = djlParams(block);
        return new ExportReport(entries, Files.size(file), djl.length, gzipSize(djl));
    }

    /** DJL's own dense parameter file ({@code Block.saveParameters}) for this block, in memory. */
    public static byte[] djlParams(Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    /** Size of {@code data} after gzip at the default level. */
    public static long gzipSize(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(data);
        }
        return bytes.size();
    }

    /**
     * Reads and validates a whole file: length, magic, version, CRC32, then decodes every tensor.
     *
     * @throws ExportFormatException with a one-line message for a foreign, truncated, corrupted or
     *     newer-version file
     */
    public static CompressedModel read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return parse(bytes, file.toString());
    }

    static CompressedModel parse(byte[] bytes, String source) throws ExportFormatException {
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new ExportFormatException(source + " is not a Prune4J compressed model (no P4JZ magic at the start)");
        }
        if (bytes.length < PREAMBLE + 4) {
            throw new ExportFormatException(source + " is truncated: " + bytes.length + " bytes, shorter than the "
                    + (PREAMBLE + 4) + "-byte frame");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int version = in.getShort(4) & 0xffff;
        if (version != VERSION) {
            throw new ExportFormatException(source + " has format version " + version + ": this Prune4J reads version "
                    + VERSION);
        }
        long payloadLength = in.getLong(8);
        long expected = PREAMBLE + payloadLength + 4;
        if (payloadLength < 0 || expected != bytes.length) {
            throw new ExportFormatException(source + " is truncated or has trailing bytes: " + bytes.length
                    + " bytes, the header announces " + expected);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, PREAMBLE, (int) payloadLength);
        int stored = in.getInt(PREAMBLE + (int) payloadLength);
        if (stored != (int) crc.getValue()) {
            throw new ExportFormatException(source + " is corrupted: CRC32 of the payload is "
                    + Long.toHexString(crc.getValue()) + ", the file says " + Integer.toHexString(stored));
        }
        try {
            in.position(PREAMBLE);
            in.limit(PREAMBLE + (int) payloadLength);
            byte[] json = new byte[in.getInt()];
            in.get(json);
            ModelHeader header = parseHeader(new String(json, StandardCharsets.UTF_8));
            int count = in.getInt();
            if (count < 0) {
                throw new IllegalArgumentException("negative parameter count " + count);
            }
            List<Tensor> tensors = new ArrayList<>();
            for (int t = 0; t < count; t++) {
                byte[] name = new byte[in.getShort() & 0xffff];
                in.get(name);
                int dtype = in.get();
                if (dtype != DTYPE_FLOAT32) {
                    throw new IllegalArgumentException("unsupported dtype code " + dtype);
                }
                int rank = in.get();
                if (rank < 0 || rank > 8) {
                    throw new IllegalArgumentException("rank " + rank + " outside [0, 8]");
                }
                long[] shape = new long[rank];
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.getLong();
                    if (shape[d] < 0) {
                        throw new IllegalArgumentException("negative dimension " + shape[d]);
                    }
                }
                Encoding encoding = Encoding.ofCode(in.get());
                if (encoding == null) {
                    throw new IllegalArgumentException("unknown encoding code");
                }
                long length = in.getLong();
                if (length < 0 || length > in.remaining()) {
                    throw new IllegalArgumentException("body of " + length + " bytes overruns the payload");
                }
                byte[] body = new byte[(int) length];
                in.get(body);
                String tensorName = new String(name, StandardCharsets.UTF_8);
                try {
                    tensors.add(new Tensor(tensorName, shape, encoding, TensorCodec.decode(encoding, body, shape)));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("parameter " + tensorName + ": " + e.getMessage(), e);
                }
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " unread bytes after the last parameter");
            }
            return new CompressedModel(header, List.copyOf(tensors));
        } catch (RuntimeException e) {
            // A file with a valid CRC32 but an inconsistent body was written by something else.
            throw new ExportFormatException(source + " is malformed: " + e.getMessage());
        }
    }

    /**
     * Copies every parameter into an initialised block with the same parameter names, shapes and dtypes.
     * Everything is checked before the first parameter changes.
     *
     * @throws ExportFormatException naming the first mismatch; the block is then untouched
     */
    public void loadInto(Block block) throws ExportFormatException {
        List<Pair<String, Parameter>> parameters = block.getParameters().stream().collect(Collectors.toList());
        if (parameters.size() != tensors.size()) {
            throw new ExportFormatException("the file holds " + tensors.size() + " parameters, the block "
                    + parameters.size() + ": not the same model");
        }
        for (int i = 0; i < tensors.size(); i++) {
            Tensor tensor = tensors.get(i);
            Pair<String, Parameter> pair = parameters.get(i);
            if (!pair.getKey().equals(tensor.name())) {
                throw new ExportFormatException("parameter " + i + " is '" + tensor.name() + "' in the file, '"
                        + pair.getKey() + "' in the block: not the same model");
            }
            if (!pair.getValue().isInitialized()) {
                throw new ExportFormatException("parameter '" + pair.getKey() + "' of the block is not initialised");
            }
            NDArray array = pair.getValue().getArray();
            if (!Arrays.equals(array.getShape().getShape(), tensor.shape())) {
                throw new ExportFormatException("parameter '" + tensor.name() + "' has shape "
                        + shapeText(tensor.shape()) + " in the file, " + shapeText(array.getShape().getShape())
                        + " in the block");
            }
            if (array.getDataType() != DataType.FLOAT32) {
                throw new ExportFormatException("parameter '" + tensor.name() + "' is " + array.getDataType()
                        + " in the block, float32 in the file");
            }
        }
        for (int i = 0; i < tensors.size(); i++) {
            parameters.get(i).getValue().getArray().set(tensors.get(i).values());
        }
    }

    /**
     * A new DJL model of the zoo model the header names, initialised with the header's input shape and
     * loaded with the file's parameters. The caller closes it.
     *
     * @throws IllegalArgumentException if the header names no zoo model
     */
    public Model newModel() throws ExportFormatException {
        Block block = Models.byName(header.model(), header.classes());
        Model model = Model.newInstance(header.model());
        try {
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(header.inputShape()));
            loadInto(block);
            return model;
        } catch (RuntimeException | ExportFormatException e) {
            model.close();
            throw e;
        }
    }

    static String headerJson(ModelHeader header) {
        JsonObject json = new JsonObject();
        json.addProperty("model", header.model());
        json.addProperty("classes", header.classes());
        JsonArray shape = new JsonArray();
        for (long dim : header.inputShape()) {
            shape.add(dim);
        }
        json.add("inputShape", shape);
        json.addProperty("dataset", header.dataset());
        return json.toString();
    }

    static ModelHeader parseHeader(String text) {
        JsonObject json = JsonParser.parseString(text).getAsJsonObject();
        JsonArray array = json.getAsJsonArray("inputShape");
        long[] shape = new long[array.size()];
        int i = 0;
        for (JsonElement element : array) {
            shape[i++] = element.getAsLong();
        }
        JsonElement dataset = json.get("dataset");
        return new ModelHeader(json.get("model").getAsString(), json.get("classes").getAsInt(), shape,
                dataset == null ? "" : dataset.getAsString());
    }

    static String shapeText(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    private static void writeIntLe(DataOutputStream out, int value) throws IOException {
        out.writeInt(Integer.reverseBytes(value));
    }

    private static void writeShortLe(DataOutputStream out, int value) throws IOException {
        out.writeShort(Short.reverseBytes((short) value));
    }

    private static void writeLongLe(DataOutputStream out, long value) throws IOException {
        out.writeLong(Long.reverseBytes(value));
    }
}
