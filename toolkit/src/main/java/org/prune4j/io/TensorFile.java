package org.prune4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * The project's one file format for named tensors with a JSON header: training checkpoints and the model states
 * that P-GaP hands to its workers. Tensors are in DJL's own NDList encoding (every dtype, shapes kept), the
 * whole closed by a CRC32 of everything before it:
 *
 * <pre>
 * magic "P4JCKPT\n" (8 bytes) | version (int32 BE) | header length (int32 BE) | header (UTF-8 JSON, with "kind"
 * and "tensors", the names in order) | NDList.encode() of the tensors | CRC32 of all previous bytes (int64 BE)
 * </pre>
 *
 * <p>The header's {@code kind} ({@code checkpoint}, {@code model-state}) says what the tensors are, so one kind is
 * never read as the other; a file without it is a checkpoint (the format's first use). Files are written
 * atomically ({@link AtomicFiles}) and read whole and checked (magic, version, lengths, CRC, kind) before
 * anything is decoded.
 */
public final class TensorFile {

    /** The format version this code writes and reads. */
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "P4JCKPT\n".getBytes(StandardCharsets.US_ASCII);
    private static final int FIXED = MAGIC.length + 4 + 4 + 8;
    private static final String KIND = "kind";
    /** What a file without a kind is: checkpoints were written before the kind was added. */
    private static final String FIRST_KIND = "checkpoint";

    /**
     * A file's header and tensors, by name, in the order written; the caller closes the tensors' manager.
     *
     * @param header  the JSON header as written (with "kind" and "tensors")
     * @param tensors the tensors by name
     */
    public record Contents(JsonObject header, Map<String, NDArray> tensors) {}

    /** A file that is missing, truncated, corrupted, of another version or of another kind; the message says which. */
    public static final class BadFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private TensorFile() {}

    /** Writes a file of {@code kind} atomically; {@code header} gets the kind and the tensor names added. */
    public static Path write(Path file, String kind, JsonObject header, Map<String, NDArray> tensors) {
        try {
            return AtomicFiles.write(file, raw -> writeTo(raw, kind, header, tensors));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The bytes {@link #write} would write (what crosses to a worker on another machine). */
    public static byte[] toBytes(String kind, JsonObject header, Map<String, NDArray> tensors) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeTo(bytes, kind, header, tensors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeTo(OutputStream raw, String kind, JsonObject header, Map<String, NDArray> tensors)
            throws IOException {
        JsonObject full = header.deepCopy();
        full.addProperty(KIND, kind);
        JsonArray names = new JsonArray();
        tensors.keySet().forEach(names::add);
        full.add("tensors", names);
        byte[] json = full.toString().getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(
                new java.io.BufferedOutputStream(raw, 1 << 16), crc));
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(json.length);
        out.write(json);
        new NDList(tensors.values()).encode(out);
        out.flush();
        // The CRC goes around the checked stream: it covers every byte before it.
        new DataOutputStream(raw).writeLong(crc.getValue());
        raw.flush();
    }

    /**
     * Reads and checks the bytes of a file of {@code kind}; its tensors are created in {@code manager}.
     *
     * @param what how messages name the source, such as {@code "checkpoint /runs/x/checkpoint.p4c"}
     * @throws BadFileException naming {@code what} if the bytes are truncated, corrupted, of another version or kind
     */
    public static Contents read(byte[] bytes, String what, String kind, NDManager manager) {
        if (bytes.length < FIXED || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw bad(what + " is not a Prune4J " + kind + " (" + bytes.length + " bytes, no P4JCKPT header)", null);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long stored = buffer.getLong(bytes.length - 8);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (crc.getValue() != stored) {
            throw bad(String.format(Locale.ROOT, "%s is corrupted: CRC32 %08x expected, %08x read; refusing to use it",
                    what, stored, crc.getValue()), null);
        }
        int version = buffer.getInt(MAGIC.length);
        if (version != VERSION) {
            throw bad(what + " has format version " + version + ": this Prune4J reads version " + VERSION, null);
        }
        int headerLength = buffer.getInt(MAGIC.length + 4);
        int headerStart = MAGIC.length + 8;
        if (headerLength < 2 || headerStart + (long) headerLength > bytes.length - 8) {
            throw bad(what + " is truncated: header length " + headerLength + " does not fit in " + bytes.length
                    + " bytes", null);
        }
        JsonObject header;
        try {
            header = JsonParser.parseString(new String(bytes, headerStart, headerLength, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (RuntimeException e) {
            throw bad(what + " has an unreadable header: " + e.getMessage(), e);
        }
        String found = header.has(KIND) ? header.get(KIND).getAsString() : FIRST_KIND;
        if (!found.equals(kind)) {
            throw bad(what + " holds a " + found + ": expected a " + kind, null);
        }
        int payloadStart = headerStart + headerLength;
        NDList list;
        try {
            list = NDList.decode(manager, new ByteArrayInputStream(bytes, payloadStart, bytes.length - 8 - payloadStart));
        } catch (RuntimeException e) {
            throw bad(what + " has unreadable tensors: " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        header.getAsJsonArray("tensors").forEach(n -> names.add(n.getAsString()));
        if (names.size() != list.size()) {
            throw bad(what + " names " + names.size() + " tensors but holds " + list.size(), null);
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            tensors.put(names.get(i), list.get(i));
        }
        return new Contents(header, tensors);
    }

    private static BadFileException bad(String message, Throwable cause) {
        return new BadFileException(message, cause);
    }
}
