package org.prune4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one named-tensor format of checkpoints and P-GaP's model states: exact round trips and checked refusals. */
class TensorFileTest {

    private static Map<String, NDArray> tensors(NDManager manager) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("parameter/fc1_weight", manager.create(new float[] {1.5f, -0f, Float.MIN_VALUE, 3e38f}, new Shape(2, 2)));
        tensors.put("method/step", manager.create(new long[] {7L, Long.MAX_VALUE}));
        tensors.put("mask/0", manager.create(new boolean[] {true, false, true}));
        return tensors;
    }

    @Test
    void tensorsOfEveryTypeComeBackBitForBitWithTheirNamesShapesAndHeader(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            JsonObject header = new JsonObject();
            header.addProperty("step", 123);
            Path file = TensorFile.write(dir.resolve("state.p4c"), "model-state", header, tensors(manager));
            TensorFile.Contents back = TensorFile.read(Files.readAllBytes(file), "state", "model-state", manager);

            assertEquals(List.of("parameter/fc1_weight", "method/step", "mask/0"), List.copyOf(back.tensors().keySet()));
            assertEquals(123, back.header().get("step").getAsInt());
            assertEquals("model-state", back.header().get("kind").getAsString());
            NDArray weight = back.tensors().get("parameter/fc1_weight");
            assertEquals(new Shape(2, 2), weight.getShape());
            assertArrayEquals(new float[] {1.5f, -0f, Float.MIN_VALUE, 3e38f}, weight.toFloatArray());
            assertEquals(DataType.INT64, back.tensors().get("method/step").getDataType());
            assertArrayEquals(new long[] {7L, Long.MAX_VALUE}, back.tensors().get("method/step").toLongArray());
            assertArrayEquals(new boolean[] {true, false, true}, back.tensors().get("mask/0").toBooleanArray());
            // The in-memory form is the file's bytes.
            assertArrayEquals(TensorFile.toBytes("model-state", header, tensors(manager)), TensorFile.toBytes(
                    "model-state", header, back.tensors()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void oneKindIsNeverReadAsAnotherAndDamageIsNamed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            byte[] bytes = TensorFile.toBytes("model-state", new JsonObject(), tensors(manager));

            TensorFile.BadFileException kind = assertThrows(TensorFile.BadFileException.class,
                    () -> TensorFile.read(bytes, "checkpoint x", "checkpoint", manager));
            assertEquals("checkpoint x holds a model-state: expected a checkpoint", kind.getMessage());

            byte[] flipped = bytes.clone();
            flipped[flipped.length / 2] ^= 1;
            TensorFile.BadFileException crc = assertThrows(TensorFile.BadFileException.class,
                    () -> TensorFile.read(flipped, "state y", "model-state", manager));
            assertTrue(crc.getMessage().startsWith("state y is corrupted: CRC32 "), crc.getMessage());

            byte[] cut = java.util.Arrays.copyOf(bytes, 10);
            TensorFile.BadFileException shortFile = assertThrows(TensorFile.BadFileException.class,
                    () -> TensorFile.read(cut, "state z", "model-state", manager));
            assertEquals("state z is not a Prune4J model-state (10 bytes, no P4JCKPT header)", shortFile.getMessage());
        }
    }
}
