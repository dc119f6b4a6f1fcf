package org.prune4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 binary reader on small files in the official format, written by the test. */
class CifarFilesTest {
    private static final int PER_BATCH = 7;
    private static final double[] MEAN = {0.4914, 0.4822, 0.4465};
    private static final double[] STD = {0.2470, 0.2435, 0.2616};

    @TempDir
    Path dir;

    /** Batch 0..4 are data_batch_1..5, batch 5 is test_batch. */
    static int label(int batch, int record) {
        return (batch * PER_BATCH + record) % 10;
    }

    /** The raw byte of (batch, record, channel, plane position): distinct per channel so order errors show. */
    static int pixel(int batch, int record, int channel, int position) {
        return (batch * 13 + record * 31 + channel * 85 + position) % 256;
    }

    static void writeBatches(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (int batch = 0; batch < 6; batch++) {
            byte[] bytes = new byte[PER_BATCH * 3073];
            for (int r = 0; r < PER_BATCH; r++) {
                int offset = r * 3073;
                bytes[offset] = (byte) label(batch, r);
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < 1024; p++) {
                        bytes[offset + 1 + c * 1024 + p] = (byte) pixel(batch, r, c, p);
                    }
                }
            }
            String name = batch < 5 ? "data_batch_" + (batch + 1) + ".bin" : "test_batch.bin";
            Files.write(folder.resolve(name), bytes);
        }
    }

    static float normalised(int raw, int channel) {
        return (float) ((raw / 255.0 - MEAN[channel]) / STD[channel]);
    }

    @Test
    void readsTrainAndTestWithLabelsShapesAndChannelPlanes() throws IOException {
        writeBatches(dir);
        DataSplit split = Datasets.cifar10(dir);
        ImageData train = split.train();
        ImageData test = split.test();

        assertEquals(5 * PER_BATCH, train.size());
        assertEquals(PER_BATCH, test.size());
        assertEquals(3, train.channels());
        assertEquals(32, train.height());
        assertEquals(32, train.width());
        assertEquals(10, train.classes());
        assertEquals(train.size() * 3 * 32 * 32, train.pixels().length);
        assertEquals("cifar10/train", train.name());

        for (int n = 0; n < train.size(); n++) {
            assertEquals(label(n / PER_BATCH, n % PER_BATCH), train.labels()[n], "train label " + n);
        }
        for (int n = 0; n < test.size(); n++) {
            assertEquals(label(5, n), test.labels()[n], "test label " + n);
        }

        // Image 9 is record 2 of data_batch_2; check each channel at a few (y, x) positions.
        int[][] positions = {{0, 0}, {0, 31}, {5, 7}, {31, 31}};
        for (int c = 0; c < 3; c++) {
            for (int[] yx : positions) {
                int p = yx[0] * 32 + yx[1];
                int index = ((9 * 3 + c) * 32 + yx[0]) * 32 + yx[1];
                assertEquals(normalised(pixel(1, 2, c, p), c), train.pixels()[index], 0f,
                        "train image 9 channel " + c + " at " + yx[0] + "," + yx[1]);
            }
        }
        // Last test image, blue channel, last pixel.
        int last = ((6 * 3 + 2) * 32 + 31) * 32 + 31;
        assertEquals(normalised(pixel(5, 6, 2, 1023), 2), test.pixels()[last], 0f);
    }

    @Test
    void acceptsTheFolderTheArchiveWasExtractedInto() throws IOException {
        writeBatches(dir.resolve("cifar-10-batches-bin"));
        assertEquals(5 * PER_BATCH, Datasets.cifar10(dir).train().size());
    }

    @Test
    void missingBatchNamesFileAndHowToGetIt() throws IOException {
        writeBatches(dir);
        Files.delete(dir.resolve("data_batch_3.bin"));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.cifar10(dir));
        assertTrue(e.getMessage().contains("data_batch_3.bin is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void sizeThatIsNotWholeRecordsIsCorrupt() throws IOException {
        writeBatches(dir);
        Files.write(dir.resolve("test_batch.bin"), new byte[3073 * 2 + 5]);
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.cifar10(dir));
        assertTrue(e.getMessage().contains("test_batch.bin is corrupt"), e.getMessage());
    }
}
