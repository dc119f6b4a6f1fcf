package org.prune4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.prune4j.io.AtomicFiles;

import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * The checkpoint file: a JSON header (run fingerprint, position, random states, history, the names of the
 * tensors) and named tensors in DJL's own NDList encoding, closed by a CRC32 of everything before it.
 *
 * <pre>
 * magic "P4JCKPT\n" (8 bytes) | version (int32 BE) | header length (int32 BE) | header (UTF-8 JSON)
 * | NDList.encode() of the tensors, in the header's "tensors" order | CRC32 of all previous bytes (int64 BE)
 * </pre>
 *
 * <p>Written to a temporary file in the same folder and moved over the old one atomically, so a crash
 * leaves either the previous checkpoint or the new one, never half of one. Read whole and checked (magic,
 * version, lengths, CRC) before anything is decoded.
 */
final class CheckpointFile {

    /** The checkpoint's file name in a run folder. */
    static final String NAME = SparseTraining.CHECKPOINT_FILE;
    static final int VERSION = 1;
    private static final byte[] MAGIC = "P4JCKPT\n".getBytes(StandardCharsets.US_ASCII);
    private static final int FIXED = MAGIC.length + 4 + 4 + 8;

    /** A checkpoint's header and tensors, by name; the caller closes the tensors' manager. */
    record Contents(JsonObject header, Map<String, NDArray> tensors) {}

    private CheckpointFile() {}

    /** Writes {@code header} (to which the tensor names are added) and the tensors, atomically. */
    static Path write(Path file, JsonObject header, Map<String, NDArray> tensors) {
        JsonObject full = header.deepCopy();
        JsonArray names = new JsonArray();
        tensors.keySet().forEach(names::add);
        full.add("tensors", names);
        byte[] json = full.toString().getBytes(StandardCharsets.UTF_8);
        NDList list = new NDList(tensors.values());
        try {
            return AtomicFiles.write(file, raw -> {
                CRC32 crc = new CRC32();
                DataOutputStream out = new DataOutputStream(new CheckedOutputStream(
                        new java.io.BufferedOutputStream(raw, 1 << 16), crc));
                out.write(MAGIC);
                out.writeInt(VERSION);
                out.writeInt(json.length);
                out.write(json);
                list.encode(out);
                out.flush();
                // The CRC goes around the checked stream: it covers every byte before it.
                new DataOutputStream(raw).writeLong(crc.getValue());
                raw.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads and checks a checkpoint; its tensors are created in {@code manager}.
     *
     * @throws CheckpointException naming the file if it is missing, truncated, corrupted or of another version
     */
    static Contents read(Path file, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("no checkpoint at " + file + ": expected a run folder written with checkpoints"
                    + " (./prune4j train ... --out DIR writes DIR/" + NAME + ")");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CheckpointException("cannot read the checkpoint " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length < FIXED || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CheckpointException("checkpoint " + file + " is not a Prune4J checkpoint (" + bytes.length
                    + " bytes, no P4JCKPT header)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long stored = buffer.getLong(bytes.length - 8);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (crc.getValue() != stored) {
            throw new CheckpointException(String.format(Locale.ROOT,
                    "checkpoint %s is corrupted: CRC32 %08x expected, %08x read; refusing to resume from it",
                    file, stored, crc.getValue()));
        }
        int version = buffer.getInt(MAGIC.length);
        if (version != VERSION) {
            throw new CheckpointException("checkpoint " + file + " has format version " + version
                    + ": this Prune4J reads version " + VERSION);
        }
        int headerLength = buffer.getInt(MAGIC.length + 4);
        int headerStart = MAGIC.length + 8;
        if (headerLength < 2 || headerStart + (long) headerLength > bytes.length - 8) {
            throw new CheckpointException("checkpoint " + file + " is truncated: header length " + headerLength
                    + " does not fit in " + bytes.length + " bytes");
        }
        JsonObject header;
        try {
            header = JsonParser.parseString(new String(bytes, headerStart, headerLength, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (RuntimeException e) {
            throw new CheckpointException("checkpoint " + file + " has an unreadable header: " + e.getMessage(), e);
        }
        int payloadStart = headerStart + headerLength;
        NDList list;
        try {
            list = NDList.decode(manager, new ByteArrayInputStream(bytes, payloadStart, bytes.length - 8 - payloadStart));
        } catch (RuntimeException e) {
            throw new CheckpointException("checkpoint " + file + " has unreadable tensors: " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        header.getAsJsonArray("tensors").forEach(n -> names.add(n.getAsString()));
        if (names.size() != list.size()) {
            throw new CheckpointException("checkpoint " + file + " names " + names.size() + " tensors but holds "
                    + list.size());
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            tensors.put(names.get(i), list.get(i));
        }
        return new Contents(header, tensors);
    }
}
