package org.prune4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads the real datasets: MNIST and Fashion-MNIST (fetched by {@code ./datasets/fetch}) and
 * CIFAR-10 (downloaded by hand, see {@code datasets/README.md}), each as its official train/test
 * {@link DataSplit} with normalised pixels.
 *
 * <p>The methods without a path find the <em>root</em> (the folder that contains {@code datasets/}):
 * the system property {@value #ROOT_PROPERTY}, else the environment variable {@value #ROOT_ENV},
 * else the first folder, from the working directory upwards, that contains {@code datasets/fetch}
 * (so notebooks in {@code notebooks/} find the checkout's data).
 *
 * <p>MNIST and Fashion-MNIST files are checked against {@code datasets/checksums.md5} on load (once
 * per file version per JVM). Any missing or corrupt file gives a {@link DatasetException} whose one
 * line names the file and the command that fixes it.
 */
public final class Datasets {
    /** System property naming the root folder (the one that contains {@code datasets/}). */
    public static final String ROOT_PROPERTY = "prune4j.datasets";
    /** Environment variable naming the root folder, used when the system property is not set. */
    public static final String ROOT_ENV = "PRUNE4J_DATASETS";

    private static final String NAMES = "mnist, fashion-mnist, cifar10, imdb";

    /** Ids of the IMDB vocabulary, the two reserved ones included: the Keras IMDB example's 20,000. */
    public static final int IMDB_VOCABULARY = 20_000;
    /**
     * Tokens per IMDB review the model reads: 128, head and tail of longer reviews ({@link Vocabulary#encode}); the
     * median training review has 174 tokens (datasets/README.md). Attention's cost grows with its square.
     */
    public static final int IMDB_SEQUENCE_LENGTH = 128;

    private static TokenizedSplit lastImdb;
    private static String lastImdbKey;

    private Datasets() {
    }

    /** MNIST handwritten digits: 60,000 train and 10,000 test images, 1x28x28, 10 classes. */
    public static DataSplit mnist() {
        return mnist(root());
    }

    /** MNIST from {@code root/datasets/mnist/}. */
    public static DataSplit mnist(Path root) {
        return loadIdx(IdxDataset.MNIST, root);
    }

    /** Fashion-MNIST clothing images: 60,000 train and 10,000 test images, 1x28x28, 10 classes. */
    public static DataSplit fashionMnist() {
        return fashionMnist(root());
    }

    /** Fashion-MNIST from {@code root/datasets/fashion-mnist/}. */
    public static DataSplit fashionMnist(Path root) {
        return loadIdx(IdxDataset.FASHION_MNIST, root);
    }

    /** CIFAR-10 from {@code datasets/cifar-10/} under the root. */
    public static DataSplit cifar10() {
        return cifar10(root().resolve("datasets").resolve("cifar-10"));
    }

    /**
     * CIFAR-10 from a folder holding the official binary batches ({@code data_batch_1.bin} ..
     * {@code data_batch_5.bin}, {@code test_batch.bin}): 50,000 train and 10,000 test images,
     * 3x32x32, 10 classes, each channel standardised with the CIFAR-10 mean and standard deviation.
     * The folder may also be the one the archive was extracted into (holding {@code cifar-10-batches-bin/}).
     */
    public static DataSplit cifar10(Path dir) {
        Path folder = dir.toAbsolutePath().normalize();
        Path extracted = folder.resolve("cifar-10-batches-bin");
        if (!Files.isRegularFile(folder.resolve("data_batch_1.bin"))
                && Files.isRegularFile(extracted.resolve("data_batch_1.bin"))) {
            folder = extracted;
        }
        String fix = "download cifar-10-binary.tar.gz from the CIFAR-10 page of the University of Toronto and extract"
                + " the .bin files into " + folder + " (see datasets/README.md)";
        List<Path> trainFiles = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            trainFiles.add(folder.resolve("data_batch_" + i + ".bin"));
        }
        ImageData train = CifarFiles.read(trainFiles, "cifar10/train", fix);
        ImageData test = CifarFiles.read(List.of(folder.resolve("test_batch.bin")), "cifar10/test", fix);
        return new DataSplit(train, test);
    }

    /**
     * IMDB movie reviews: the official 25,000 train and 25,000 test reviews, 2 classes (0 negative, 1 positive),
     * tokenized with {@link Tokenizer}, {@value #IMDB_VOCABULARY} ids from the training split,
     * {@value #IMDB_SEQUENCE_LENGTH} tokens of each review (head and tail of a longer one).
     */
    public static TokenizedSplit imdb() {
        return imdb(root(), IMDB_VOCABULARY, IMDB_SEQUENCE_LENGTH);
    }

    /**
     * IMDB from {@code root/datasets/imdb/reviews.json} (fetched by {@code ./datasets/fetch imdb}) with a
     * vocabulary of {@code vocabularySize} ids and rows of {@code sequenceLength} tokens. The last result is
     * kept, so loading it twice in one JVM parses the 66 MB file once.
     *
     * @throws DatasetException if the file is missing, corrupt or not in the expected layout
     */
    public static synchronized TokenizedSplit imdb(Path rootDir, int vocabularySize, int sequenceLength) {
        if (sequenceLength < 1) {
            throw new IllegalArgumentException("sequence length " + sequenceLength + " must be >= 1");
        }
        Path root = rootDir.toAbsolutePath().normalize();
        Path file = root.resolve("datasets").resolve("imdb").resolve("reviews.json");
        String fix = fetchCommand(root, "imdb");
        String what = "IMDB file " + shown(root, file);
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(what + " is missing: " + fix);
        }
        Checksums checksums = checksums(root);
        String expected = checksums.expected("imdb/reviews.json").orElseThrow(() -> new DatasetException(
                "datasets/checksums.md5 has no MD5 for imdb/reviews.json"
                        + ": restore it from the repository (git checkout datasets/checksums.md5)"));
        String key = Checksums.key(file, expected) + "|" + vocabularySize + "|" + sequenceLength;
        if (key.equals(lastImdbKey)) {
            return lastImdb;
        }
        byte[] bytes;
        try {
            bytes = IdxFiles.read(file);
        } catch (DatasetException e) {
            throw new DatasetException(e.getMessage() + ": " + fix, e.getCause());
        }
        String actual = Checksums.md5(bytes);
        if (!actual.equals(expected)) {
            throw new DatasetException(what + " is corrupt (MD5 " + actual + ", expected " + expected + "): " + fix);
        }
        ImdbReviews.Split split = ImdbReviews.split(ImdbReviews.parse(bytes, what), what);
        List<List<String>> trainTokens = split.train().stream().map(r -> Tokenizer.tokens(r.text())).toList();
        Vocabulary vocabulary = Vocabulary.build(trainTokens, vocabularySize);
        List<List<String>> testTokens = split.test().stream().map(r -> Tokenizer.tokens(r.text())).toList();
        ImageData train = encoded("imdb/train", trainTokens, split.train(), vocabulary, sequenceLength);
        ImageData test = encoded("imdb/test", testTokens, split.test(), vocabulary, sequenceLength);
        lastImdb = new TokenizedSplit(new DataSplit(train, test), vocabulary, sequenceLength);
        lastImdbKey = key;
        return lastImdb;
    }

    private static ImageData encoded(String name, List<List<String>> tokens, List<ImdbReviews.Review> reviews,
                                     Vocabulary vocabulary, int length) {
        float[] ids = new float[Math.multiplyExact(tokens.size(), length)];
        int[] labels = new int[tokens.size()];
        for (int r = 0; r < tokens.size(); r++) {
            int[] row = vocabulary.encode(tokens.get(r), length);
            for (int i = 0; i < length; i++) {
                ids[r * length + i] = row[i];
            }
            labels[r] = reviews.get(r).label();
        }
        return new ImageData(name, 1, 1, length, 2, ids, labels);
    }

    private static Checksums checksums(Path root) {
        Path checksumFile = root.resolve("datasets").resolve("checksums.md5");
        if (!Files.isRegularFile(checksumFile)) {
            throw new DatasetException("checksum file " + shown(root, checksumFile)
                    + " is missing: restore it from the repository (git checkout datasets/checksums.md5)");
        }
        return Checksums.read(checksumFile);
    }

    /**
     * A dataset by name, for command lines and configuration files.
     *
     * @param name {@code mnist}, {@code fashion-mnist}, {@code cifar10} or {@code imdb}
     * @throws IllegalArgumentException for any other name
     */
    public static DataSplit load(String name) {
        checkName(name);
        return load(name, root());
    }

    /** A dataset by name ({@code mnist}, {@code fashion-mnist}, {@code cifar10} or {@code imdb}) under the given root. */
    public static DataSplit load(String name, Path root) {
        return switch (checkName(name)) {
            case "mnist" -> mnist(root);
            case "fashion-mnist" -> fashionMnist(root);
            case "imdb" -> imdb(root, IMDB_VOCABULARY, IMDB_SEQUENCE_LENGTH).split();
            default -> cifar10(root.resolve("datasets").resolve("cifar-10"));
        };
    }

    /**
     * The root folder (the one that contains {@code datasets/}) that the methods without a path use.
     *
     * @throws DatasetException if neither the property, the variable nor a {@code datasets/fetch}
     *                          above the working directory gives one
     */
    public static Path root() {
        String property = System.getProperty(ROOT_PROPERTY);
        if (property != null && !property.isBlank()) {
            return asRoot(Path.of(property.strip()));
        }
        String env = System.getenv(ROOT_ENV);
        if (env != null && !env.isBlank()) {
            return asRoot(Path.of(env.strip()));
        }
        Path cwd = workingDirectory();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("datasets").resolve("fetch"))) {
                return dir;
            }
        }
        throw new DatasetException("no datasets/fetch in " + cwd + " or any folder above it: run inside the Prune4J"
                + " checkout, or set -D" + ROOT_PROPERTY + "=<folder containing datasets/> or " + ROOT_ENV);
    }

    /**
     * The name itself when it is {@code mnist}, {@code fashion-mnist}, {@code cifar10} or {@code imdb}.
     *
     * @throws IllegalArgumentException naming the bad name and the accepted ones
     */
    public static String checkName(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (!key.equals("mnist") && !key.equals("fashion-mnist") && !key.equals("cifar10") && !key.equals("imdb")) {
            throw new IllegalArgumentException("unknown dataset '" + name + "': accepted names are " + NAMES);
        }
        return key;
    }

    /** Whether the named dataset is text (token ids, for a text model) rather than images. */
    public static boolean isText(String name) {
        return checkName(name).equals("imdb");
    }

    /** Accepts the folder that contains datasets/ and, forgivingly, the datasets/ folder itself. */
    private static Path asRoot(Path given) {
        Path path = given.toAbsolutePath().normalize();
        if (!Files.isDirectory(path.resolve("datasets")) && path.getFileName() != null
                && path.getFileName().toString().equals("datasets") && Files.isDirectory(path)
                && path.getParent() != null) {
            return path.getParent();
        }
        return path;
    }

    private static DataSplit loadIdx(IdxDataset dataset, Path rootDir) {
        Path root = rootDir.toAbsolutePath().normalize();
        Path datasets = root.resolve("datasets");
        Path dir = datasets.resolve(dataset.folder());
        String fix = fetchCommand(root, dataset.folder());
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dataset.title() + " folder " + shown(root, dir) + " is missing: " + fix);
        }
        Checksums checksums = checksums(root);
        ImageData train = loadPart(dataset, root, checksums, "train", "train", fix);
        ImageData test = loadPart(dataset, root, checksums, "t10k", "test", fix);
        return new DataSplit(train, test);
    }

    private static ImageData loadPart(IdxDataset dataset, Path root, Checksums checksums, String prefix, String part,
                                      String fix) {
        Path imageFile = root.resolve("datasets").resolve(dataset.folder()).resolve(prefix + "-images-idx3-ubyte");
        Path labelFile = imageFile.resolveSibling(prefix + "-labels-idx1-ubyte");
        byte[] imageBytes = verifiedBytes(dataset, root, imageFile, checksums, fix);
        byte[] labelBytes = verifiedBytes(dataset, root, labelFile, checksums, fix);
        IdxFiles.Images images;
        int[] labels;
        try {
            images = IdxFiles.parseImages(imageBytes, dataset.title() + " file " + shown(root, imageFile));
            labels = IdxFiles.parseLabels(labelBytes, dataset.title() + " file " + shown(root, labelFile));
        } catch (DatasetException e) {
            throw new DatasetException(e.getMessage() + ": " + fix, e);
        }
        if (images.count() != labels.length) {
            throw new DatasetException(dataset.title() + " files " + shown(root, imageFile) + " and "
                    + shown(root, labelFile) + " disagree: " + images.count() + " images but " + labels.length
                    + " labels: " + fix);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= IdxDataset.CLASSES) {
                throw new DatasetException(dataset.title() + " file " + shown(root, labelFile) + " is corrupt: label "
                        + i + " is " + labels[i] + ", expected 0..9: " + fix);
            }
        }
        // The file's bytes stay as they are (header skipped by the offset): floats are decoded on demand.
        float[][] table = {PixelScale.table(dataset.mean(), dataset.std())};
        PixelCodes codes = new PixelCodes(images.bytes(), images.offset(), table, images.pixelsPerImage());
        return new ImageData(dataset.folder() + "/" + part, 1, images.rows(), images.cols(), IdxDataset.CLASSES,
                codes, labels);
    }

    /** Reads a file whole and checks its MD5, unless this version of it was already checked in this JVM. */
    private static byte[] verifiedBytes(IdxDataset dataset, Path root, Path file, Checksums checksums, String fix) {
        String what = dataset.title() + " file " + shown(root, file);
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(what + " is missing: " + fix);
        }
        String relative = dataset.folder() + "/" + file.getFileName();
        String expected = checksums.expected(relative).orElseThrow(() -> new DatasetException(
                "datasets/checksums.md5 has no MD5 for " + relative
                        + ": restore it from the repository (git checkout datasets/checksums.md5)"));
        String key = Checksums.key(file, expected);
        byte[] bytes;
        try {
            bytes = IdxFiles.read(file);
        } catch (DatasetException e) {
            throw new DatasetException(e.getMessage() + ": " + fix, e.getCause());
        }
        if (!Checksums.alreadyVerified(key)) {
            String actual = Checksums.md5(bytes);
            if (!actual.equals(expected)) {
                throw new DatasetException(what + " is corrupt (MD5 " + actual + ", expected " + expected + "): " + fix);
            }
            Checksums.rememberVerified(key);
        }
        return bytes;
    }

    /** The fix, phrased for where the user is: relative when the root is the working directory. */
    private static String fetchCommand(Path root, String dataset) {
        String command = "run ./datasets/fetch " + dataset;
        return root.equals(workingDirectory()) ? command : command + " in " + root;
    }

    private static String shown(Path root, Path file) {
        return root.equals(workingDirectory()) ? root.relativize(file).toString() : file.toString();
    }

    private static Path workingDirectory() {
        return Path.of("").toAbsolutePath().normalize();
    }
}
