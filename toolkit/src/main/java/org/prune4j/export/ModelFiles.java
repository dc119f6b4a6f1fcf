package org.prune4j.export;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import org.prune4j.nn.Models;
import org.prune4j.io.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained model as DJL's dense files in a run folder: {@code model.params} (DJL's own
 * {@code Block.saveParameters} format) and {@code model.json} (the {@link ModelHeader}: zoo name, classes,
 * input shape, dataset), enough for {@code ./prune4j export --run DIR} to rebuild and compress it.
 */
public final class ModelFiles {

    /** The parameter file's name in a run folder. */
    public static final String PARAMS = "model.params";
    /** The header file's name in a run folder. */
    public static final String HEADER = "model.json";

    private ModelFiles() {}

    /** Writes {@code model.params} and {@code model.json} into {@code dir} (created if missing). */
    public static void save(Block block, ModelHeader header, Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(PARAMS), raw -> {
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw));
            block.saveParameters(out);
            out.flush();
        });
        byte[] json = (CompressedModel.headerJson(header) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(HEADER), out -> out.write(json));
    }

    /** The header saved in a run folder. */
    public static ModelHeader header(Path dir) throws IOException {
        Path file = dir.resolve(HEADER);
        if (!Files.isRegularFile(file)) {
            throw new ExportFormatException(dir + " holds no " + HEADER + ": train with this version of"
                    + " ./prune4j (train and demo save the model) and export again");
        }
        try {
            return CompressedModel.parseHeader(Files.readString(file, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new ExportFormatException(file + " is not a model header: " + e.getMessage());
        }
    }

    /** Rebuilds the zoo model of a run folder and loads its {@code model.params}; the caller closes it. */
    public static Model load(Path dir) throws IOException {
        ModelHeader header = header(dir);
        Path params = dir.resolve(PARAMS);
        if (!Files.isRegularFile(params)) {
            throw new ExportFormatException(dir + " holds no " + PARAMS);
        }
        Block block = Models.byName(header.model(), header.classes());
        Model model = Model.newInstance(header.model());
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(header.inputShape()));
            block.loadParameters(model.getNDManager(), in);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new ExportFormatException(params + " cannot be loaded: " + e.getMessage());
        }
    }
}
