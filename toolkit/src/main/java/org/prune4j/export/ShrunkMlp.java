package org.prune4j.export;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.prune4j.io.AtomicFiles;

/**
 * A physically smaller fully connected model, as {@link ChannelShrink} leaves it: an ordinary DJL
 * {@link SequentialBlock} (flatten, then Linear layers with their ReLUs) whose widths are the kept neurons.
 * On disk it is a folder with DJL's own {@code model.params} and {@code shrunk.json} (the widths and where
 * the ReLUs are), so {@link #load} rebuilds the block and DJL loads the parameters as usual.
 *
 * @param inputShape one example's shape with a leading batch of 1, as the original model's header gives it
 * @param layers     the layers, first to last
 */
public record ShrunkMlp(long[] inputShape, List<ChannelShrink.DenseLinear> layers) {

    /** The parameter file's name in a shrunk model's folder. */
    public static final String PARAMS = "model.params";
    /** The file that describes the block's widths. */
    public static final String LAYOUT = "shrunk.json";

    /** Copies the list. */
    public ShrunkMlp {
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
    }

    /** The widths: the input features, then each layer's outputs (784, 75, 25, 10 for a shrunk LeNet-300-100). */
    public int[] widths() {
        int[] widths = new int[layers.size() + 1];
        widths[0] = layers.get(0).in();
        for (int i = 0; i < layers.size(); i++) {
            widths[i + 1] = layers.get(i).out();
        }
        return widths;
    }

    /** Weights and biases, the number of floats in {@code model.params}. */
    public long parameters() {
        return layers.stream().mapToLong(l -> (long) l.out() * l.in() + l.out()).sum();
    }

    /** The block, built from the widths alone: what {@link #load} rebuilds before DJL reads the parameters. */
    static SequentialBlock emptyBlock(int[] widths, boolean[] reluAfter) {
        SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int i = 1; i < widths.length; i++) {
            block.add(Linear.builder().setUnits(widths[i]).build());
            if (reluAfter[i - 1]) {
                block.add(Activation.reluBlock());
            }
        }
        return block;
    }

    private boolean[] reluAfter() {
        boolean[] relu = new boolean[layers.size()];
        for (int i = 0; i < relu.length; i++) {
            relu[i] = layers.get(i).reluAfter();
        }
        return relu;
    }

    /** The model as an initialised DJL block holding these weights, its arrays in {@code manager}. */
    public Block toBlock(NDManager manager) {
        SequentialBlock block = emptyBlock(widths(), reluAfter());
        block.initialize(manager, DataType.FLOAT32, new Shape(inputShape));
        int i = 0;
        for (Block child : block.getChildren().values()) {
            if (child instanceof Linear linear) {
                ChannelShrink.DenseLinear layer = layers.get(i++);
                linear.getDirectParameters().get("weight").getArray().set(FloatBuffer.wrap(layer.weight()));
                linear.getDirectParameters().get("bias").getArray().set(FloatBuffer.wrap(layer.bias()));
            }
        }
        return block;
    }

    private record Layout(long[] inputShape, int[] widths, boolean[] reluAfter) {}

    /** Writes {@code model.params} (DJL's format) and {@code shrunk.json} into {@code dir} (created if missing). */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = toBlock(manager);
            AtomicFiles.write(dir.resolve(PARAMS), raw -> {
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw));
                block.saveParameters(out);
                out.flush();
            });
        }
        byte[] json = (new Gson().toJson(new Layout(inputShape, widths(), reluAfter())) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(LAYOUT), out -> out.write(json));
    }

    /**
     * Rebuilds a saved shrunk model as a plain DJL block and loads its parameters with DJL's
     * {@code Block.loadParameters}.
     *
     * @throws ExportFormatException when the folder lacks either file or they do not fit together
     */
    public static Block load(Path dir, NDManager manager) throws IOException {
        Path layoutFile = dir.resolve(LAYOUT);
        Path params = dir.resolve(PARAMS);
        if (!Files.isRegularFile(layoutFile) || !Files.isRegularFile(params)) {
            throw new ExportFormatException(dir + " holds no " + LAYOUT + " and " + PARAMS
                    + ": expected a folder written by ./prune4j export --shrink");
        }
        Layout layout;
        try {
            layout = new Gson().fromJson(Files.readString(layoutFile, StandardCharsets.UTF_8), Layout.class);
        } catch (JsonParseException e) {
            throw new ExportFormatException(layoutFile + " is not a shrunk model's layout: " + e.getMessage());
        }
        if (layout == null || layout.widths() == null || layout.reluAfter() == null || layout.inputShape() == null
                || layout.widths().length != layout.reluAfter().length + 1 || layout.widths().length < 2) {
            throw new ExportFormatException(layoutFile + " is not a shrunk model's layout: expected inputShape,"
                    + " widths and one reluAfter per layer");
        }
        SequentialBlock block = emptyBlock(layout.widths(), layout.reluAfter());
        block.initialize(manager, DataType.FLOAT32, new Shape(layout.inputShape()));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException | RuntimeException e) {
            throw new ExportFormatException(params + " does not fit the widths " + Arrays.toString(layout.widths())
                    + ": " + e.getMessage());
        }
        return block;
    }
}
