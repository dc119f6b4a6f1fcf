package org.prune4j.train;

import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import org.prune4j.data.DataSplit;
import org.prune4j.data.ImageData;

import java.util.Random;

/** A learnable synthetic task and a small MLP, so that training tests run in well under a second. */
final class TinyTraining {

    static final int SIDE = 6;
    static final int CLASSES = 4;

    private TinyTraining() {}

    /**
     * {@code trainSize} and {@code testSize} random 1x6x6 images; the label is the quadrant with the largest
     * mean, so a small MLP learns it well above chance.
     */
    static DataSplit data(int trainSize, int testSize) {
        return new DataSplit(images("tiny/train", trainSize, 11), images("tiny/test", testSize, 12));
    }

    private static ImageData images(String name, int n, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[n * SIDE * SIDE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double[] quadrant = new double[CLASSES];
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    float v = random.nextFloat();
                    pixels[(i * SIDE + y) * SIDE + x] = v;
                    quadrant[(y < SIDE / 2 ? 0 : 2) + (x < SIDE / 2 ? 0 : 1)] += v;
                }
            }
            int best = 0;
            for (int c = 1; c < CLASSES; c++) {
                if (quadrant[c] > quadrant[best]) {
                    best = c;
                }
            }
            labels[i] = best;
        }
        return ImageData.of(name, 1, SIDE, SIDE, CLASSES, pixels, labels);
    }

    /** Flatten, Linear 32, ReLU, Linear 16, ReLU, Linear classes: three maskable weights. */
    static SequentialBlock mlp(int classes) {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(32).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(16).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(classes).build());
    }

    /** A run of the tiny MLP on {@code data}, silent, batch 16. */
    static SparseTraining of(DataSplit data) {
        return SparseTraining.of("tiny-mlp", TinyTraining::mlp, data).batchSize(16).progress(Progress.silent());
    }
}
