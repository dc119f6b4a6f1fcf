package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.export.ModelFiles;
import org.prune4j.export.ModelHeader;
import org.prune4j.nn.Models;

/** {@code export --shrink} refuses what it cannot shrink with one line, exit 2, and writes nothing. */
class ShrinkCommandTest {

    @TempDir
    Path dir;

    private final CapturedRun cli = new CapturedRun();

    private Path savedRun(String name) throws Exception {
        Path run = dir.resolve(name);
        try (Model model = Model.newInstance(name)) {
            Block block = Models.byName(name, 10);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
            ModelFiles.save(block, new ModelHeader(name, 10, new long[] {1, 1, 28, 28}, "mnist"), run);
        }
        return run;
    }

    @Test
    void aConvolutionalModelIsRefused() throws Exception {
        Path run = savedRun("lenet5");
        Path out = dir.resolve("small");
        assertEquals(2, cli.run("export", "--run", run.toString(), "--shrink", "--out", out.toString()));
        assertEquals("prune4j: --shrink applies to fully connected models such as lenet300; " + run + " holds lenet5",
                cli.firstErrorLine());
        assertFalse(Files.exists(out));
    }

    @Test
    void aModelWithoutPrunedNeuronsIsRefused() throws Exception {
        Path run = savedRun("lenet300");
        Path out = dir.resolve("small");
        assertEquals(2, cli.run("export", "--run", run.toString(), "--shrink", "--out", out.toString()));
        assertEquals("prune4j: --run " + run + " has no pruned neuron to remove (widths [784, 300, 100, 10]):"
                + " train it with --pattern channel", cli.firstErrorLine());
        assertFalse(Files.exists(out));
    }

    @Test
    void aFileAsTheOutputFolderIsRefused() throws Exception {
        Path run = savedRun("lenet300");
        Path out = Files.writeString(dir.resolve("taken"), "keep me");
        assertEquals(2, cli.run("export", "--run", run.toString(), "--shrink", "--out", out.toString()));
        assertEquals("prune4j: --out " + out + " is a file: --shrink writes a folder (model.params, shrunk.json)",
                cli.firstErrorLine());
        assertEquals("keep me", Files.readString(out));
    }
}
