package org.prune4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading through {@link Datasets} from small self-written IDX files under a temporary root. */
class DatasetsTest {
    private static final String[] FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    @TempDir
    Path root;

    /** Writes a 4-train / 2-test dataset of 2x3 images and a checksums.md5 that matches it. */
    static void writeTinyDataset(Path root, String folder) throws IOException {
        Path dir = Files.createDirectories(root.resolve("datasets").resolve(folder));
        byte[] trainPixels = new byte[4 * 6];
        for (int i = 0; i < trainPixels.length; i++) {
            trainPixels[i] = (byte) (i * 10);
        }
        trainPixels[0] = (byte) 255;
        Files.write(dir.resolve(FILES[0]), IdxFilesTest.idx3(2051, 4, 2, 3, trainPixels));
        Files.write(dir.resolve(FILES[1]), IdxFilesTest.idx1(2049, new int[] {3, 1, 4, 1}));
        Files.write(dir.resolve(FILES[2]), IdxFilesTest.idx3(2051, 2, 2, 3, new byte[12]));
        Files.write(dir.resolve(FILES[3]), IdxFilesTest.idx1(2049, new int[] {9, 0}));
        List<String> lines = new ArrayList<>();
        for (String file : FILES) {
            lines.add(Checksums.md5(Files.readAllBytes(dir.resolve(file))) + "  " + folder + "/" + file);
        }
        Files.write(root.resolve("datasets").resolve("checksums.md5"), lines);
    }

    @Test
    void loadsVerifiedFilesAndNormalises() throws IOException {
        writeTinyDataset(root, "mnist");
        DataSplit split = Datasets.mnist(root);

        ImageData train = split.train();
        assertEquals("mnist/train", train.name());
        assertEquals(4, train.size());
        assertEquals(1, train.channels());
        assertEquals(2, train.height());
        assertEquals(3, train.width());
        assertEquals(10, train.classes());
        assertArrayEquals(new int[] {3, 1, 4, 1}, train.labels());
        assertEquals((float) ((1.0 - 0.1307) / 0.3081), train.pixels()[0], 0f);
        assertEquals((float) ((70 / 255.0 - 0.1307) / 0.3081), train.pixels()[7], 0f);
        assertEquals(2, split.test().size());
        assertEquals((float) (-0.1307 / 0.3081), split.test().pixels()[11], 0f);

        // The second load hits the verification cache and must give the same data.
        assertArrayEquals(train.pixels(), Datasets.load("mnist", root).train().pixels());
    }

    @Test
    void fashionMnistUsesItsOwnFolderAndNormalisation() throws IOException {
        writeTinyDataset(root, "fashion-mnist");
        ImageData train = Datasets.fashionMnist(root).train();
        assertEquals("fashion-mnist/train", train.name());
        assertEquals((float) ((1.0 - 0.2860) / 0.3530), train.pixels()[0], 0f);
    }

    @Test
    void missingFolderNamesTheFetchCommand() {
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.mnist(root));
        assertTrue(e.getMessage().contains("./datasets/fetch mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("datasets/mnist"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        DatasetException f = assertThrows(DatasetException.class, () -> Datasets.load("fashion-mnist", root));
        assertTrue(f.getMessage().contains("./datasets/fetch fashion-mnist"), f.getMessage());
    }

    @Test
    void missingFileNamesTheFileAndTheFetchCommand() throws IOException {
        writeTinyDataset(root, "mnist");
        Files.delete(root.resolve("datasets/mnist/t10k-labels-idx1-ubyte"));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.mnist(root));
        assertTrue(e.getMessage().startsWith("MNIST file "), e.getMessage());
        assertTrue(e.getMessage().contains("datasets/mnist/t10k-labels-idx1-ubyte is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("./datasets/fetch mnist"), e.getMessage());
    }

    @Test
    void corruptFileNamesTheFileBothHashesAndTheFetchCommand() throws IOException {
        writeTinyDataset(root, "mnist");
        Path file = root.resolve("datasets/mnist/train-images-idx3-ubyte");
        String expected = Checksums.md5(Files.readAllBytes(file));
        byte[] bytes = Files.readAllBytes(file);
        bytes[20] ^= 1;
        Files.write(file, bytes);

        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.mnist(root));
        String message = e.getMessage();
        assertTrue(message.contains("datasets/mnist/train-images-idx3-ubyte is corrupt"), message);
        assertTrue(message.contains("expected " + expected), message);
        assertTrue(message.contains(Checksums.md5(bytes)), message);
        assertTrue(message.contains("./datasets/fetch mnist"), message);
        assertEquals(1, message.lines().count());
    }

    @Test
    void flippedByteInAnAlreadyVerifiedFileIsCaughtOnReload() throws IOException {
        writeTinyDataset(root, "mnist");
        Datasets.mnist(root);
        Path file = root.resolve("datasets/mnist/t10k-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= (byte) 0x80;
        Files.write(file, bytes);
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.mnist(root));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte is corrupt"), e.getMessage());
    }

    @Test
    void missingChecksumFileSaysHowToRestoreIt() throws IOException {
        writeTinyDataset(root, "mnist");
        Files.delete(root.resolve("datasets/checksums.md5"));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.mnist(root));
        assertTrue(e.getMessage().contains("checksums.md5 is missing"), e.getMessage());
    }

    @Test
    void unknownNameListsTheAcceptedNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.load("svhn"));
        assertEquals("unknown dataset 'svhn': accepted names are mnist, fashion-mnist, cifar10, imdb", e.getMessage());
    }

    @Test
    void rootComesFromTheSystemPropertyFirst() throws IOException {
        writeTinyDataset(root, "mnist");
        String before = System.getProperty(Datasets.ROOT_PROPERTY);
        try {
            System.setProperty(Datasets.ROOT_PROPERTY, root.toString());
            assertEquals(root.toAbsolutePath().normalize(), Datasets.root());
            assertEquals(4, Datasets.mnist().train().size());
            // The datasets/ folder itself is accepted too.
            System.setProperty(Datasets.ROOT_PROPERTY, root.resolve("datasets").toString());
            assertEquals(root.toAbsolutePath().normalize(), Datasets.root());
        } finally {
            if (before == null) {
                System.clearProperty(Datasets.ROOT_PROPERTY);
            } else {
                System.setProperty(Datasets.ROOT_PROPERTY, before);
            }
        }
    }
}
