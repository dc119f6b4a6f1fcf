package org.prune4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.data.Datasets;
import org.prune4j.data.ImageData;
import org.prune4j.kernel.NativeKernels;

/**
 * Batches of the training data on the CPU: the native gather-and-decode gives the same floats, bit for bit, as
 * the DJL ops and as the host's decoding, for one channel (MNIST) and three (CIFAR-10's format).
 */
class DeviceDataTest {

    @TempDir
    Path dir;

    @Test
    void mnistBatchesFromTheKernelAreTheDjlOpsAndTheHostsFloats() {
        assumeTrue(NativeKernels.available(), "needs the native kernels: " + NativeKernels.status());
        assertSameBatches(Datasets.mnist().train(), new int[][] {{0, 128}, {59_904, 60_000}, {1000, 1001}});
    }

    @Test
    void colourBatchesPickEachChannelsTable() throws IOException {
        assumeTrue(NativeKernels.available(), "needs the native kernels: " + NativeKernels.status());
        Random random = new Random(7);
        for (String name : new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"}) {
            byte[] records = new byte[20 * 3073];
            random.nextBytes(records);
            for (int r = 0; r < 20; r++) {
                records[r * 3073] = (byte) random.nextInt(10);
            }
            Files.write(dir.resolve(name), records);
        }
        ImageData train = Datasets.cifar10(dir).train();
        assertEquals(3, train.channels());
        assertSameBatches(train, new int[][] {{0, 64}, {37, 100}});
    }

    @Test
    void anOrderValueOutsideTheImagesIsRefusedWithItsPosition() {
        assumeTrue(NativeKernels.available(), "needs the native kernels: " + NativeKernels.status());
        ImageData train = Datasets.mnist().test();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             DeviceData data = new DeviceData(train, manager, Device.cpu())) {
            NDArray order = manager.create(new long[] {3, 9_999, 10_000, 5});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> data.images(order, 0, 4));
            assertEquals("position 2 of the order is not an image: expected 0 to 9999", e.getMessage());
        }
    }

    private static void assertSameBatches(ImageData images, int[][] ranges) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             DeviceData kernel = new DeviceData(images, manager, Device.cpu());
             DeviceData djl = new DeviceData(images, manager, Device.cpu(), false)) {
            assertTrue(kernel.decodesNatively());
            assertFalse(djl.decodesNatively());
            NDArray order = kernel.order(5, 2);
            int[] positions = images.shuffledOrder(5, 2);
            int imageSize = images.imageSize();
            for (int[] range : ranges) {
                int start = range[0];
                int end = range[1];
                NDArray fromKernel = kernel.images(order, start, end);
                assertEquals(new Shape(end - start, images.channels(), images.height(), images.width()),
                        fromKernel.getShape());
                float[] expected = new float[(end - start) * imageSize];
                for (int i = start; i < end; i++) {
                    System.arraycopy(images.pixels(positions[i], positions[i] + 1), 0, expected, (i - start) * imageSize,
                            imageSize);
                }
                float[] got = fromKernel.toFloatArray();
                assertTrue(Arrays.equals(expected, got), "shuffled batch " + start + ".." + end + " vs the host");
                assertArrayEquals(djl.images(order, start, end).toFloatArray(), got, 0f, "vs the DJL ops");
                assertTrue(Arrays.equals(images.pixels(start, end), kernel.images(null, start, end).toFloatArray()),
                        "file-order batch " + start + ".." + end);
            }
        }
    }
}
