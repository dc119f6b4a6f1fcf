package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.data.DataSplit;
import org.prune4j.method.Gmp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A checkpoint that is corrupted, or from another run, is refused with one line, and nothing is written. */
class CheckpointRefusalTest {

    private static final DataSplit DATA = TinyTraining.data(128, 32);

    @TempDir
    Path dir;

    private Path checkpoint;

    private static SparseTraining gmp(double sparsity) {
        return TinyTraining.of(DATA).method(Gmp.builder().sparsity(sparsity).every(2).build()).epochs(2).seed(3);
    }

    @BeforeEach
    void writeACheckpoint() {
        gmp(0.8).checkpointTo(dir).fit();
        checkpoint = dir.resolve(SparseTraining.CHECKPOINT_FILE);
    }

    private Map<String, byte[]> snapshot() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.toList()) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private void assertRefused(SparseTraining training, String expectedStart) throws IOException {
        Map<String, byte[]> before = snapshot();
        CheckpointException e = assertThrows(CheckpointException.class, () -> training.resumeFrom(dir).fit());
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        Map<String, byte[]> after = snapshot();
        assertEquals(before.keySet(), after.keySet(), "no file may appear or vanish");
        before.forEach((name, bytes) -> assertTrue(java.util.Arrays.equals(bytes, after.get(name)), name + " was overwritten"));
    }

    @Test
    void aFlippedByteIsRefusedByItsCrc() throws IOException {
        byte[] bytes = Files.readAllBytes(checkpoint);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(checkpoint, bytes);
        assertRefused(gmp(0.8), "checkpoint " + checkpoint + " is corrupted: CRC32 ");
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(checkpoint);
        Files.write(checkpoint, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertRefused(gmp(0.8), "checkpoint " + checkpoint + " is corrupted: CRC32 ");
    }

    @Test
    void aFileOfAnotherKindIsRefused() throws IOException {
        Files.writeString(checkpoint, "{\"not\": \"a checkpoint\"}");
        assertRefused(gmp(0.8), "checkpoint " + checkpoint + " is not a Prune4J checkpoint (23 bytes, no P4JCKPT header)");
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedNamingTheParameter() throws IOException {
        SparseTraining wider = SparseTraining.of("tiny-mlp", classes -> new SequentialBlock()
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(48).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(16).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(classes).build()), DATA)
                .batchSize(16).progress(Progress.silent()).method(Gmp.builder().sparsity(0.8).every(2).build()).epochs(2).seed(3);
        assertRefused(wider, "checkpoint " + checkpoint + " is from another model: parameter ");
    }

    @Test
    void aCheckpointOfAnotherModelNameIsRefused() throws IOException {
        SparseTraining renamed = SparseTraining.of("other-mlp", TinyTraining::mlp, DATA).batchSize(16)
                .progress(Progress.silent()).method(Gmp.builder().sparsity(0.8).every(2).build()).epochs(2).seed(3);
        assertRefused(renamed, "checkpoint " + checkpoint + " is from another run: model \"tiny-mlp\" there, \"other-mlp\" here");
    }

    @Test
    void aCheckpointOfAnotherMethodSeedOrLengthIsRefused() throws IOException {
        assertRefused(gmp(0.9), "checkpoint " + checkpoint + " is from another run: method \"gmp to sparsity 0.8");
        assertRefused(gmp(0.8).seed(4), "checkpoint " + checkpoint + " is from another run: seed 3 there, 4 here");
        assertRefused(gmp(0.8).epochs(3), "checkpoint " + checkpoint + " is from another run: epochs 2 there, 3 here");
        assertRefused(gmp(0.8).batchSize(32), "checkpoint " + checkpoint + " is from another run: batchSize 16 there, 32 here");
    }

    @Test
    void aMissingCheckpointIsNamed(@TempDir Path empty) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> gmp(0.8).resumeFrom(empty).fit());
        assertEquals("no checkpoint at " + empty.resolve(SparseTraining.CHECKPOINT_FILE) + ": expected a run folder written"
                + " with checkpoints (./prune4j train ... --out DIR writes DIR/checkpoint.p4c)", e.getMessage());
    }

    @Test
    void resumingAFinishedRunReturnsItsResultWithoutTraining() {
        var finished = gmp(0.8).fit();
        var again = gmp(0.8).resumeFrom(dir).fit();
        assertEquals(finished.layerRows(), again.layerRows());
        assertEquals(finished.steps(), again.steps());
        assertEquals(finished.testAccuracy(), again.testAccuracy());
        assertEquals(false, again.partial());
    }
}
