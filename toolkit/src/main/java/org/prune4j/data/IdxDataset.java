package org.prune4j.data;

/**
 * The two IDX datasets that {@code datasets/fetch} provides: where they live and how they are
 * normalised. The mean and standard deviation are those of the training pixels after dividing by
 * 255, the values the literature (and torchvision examples) use, so results are comparable.
 */
enum IdxDataset {
    MNIST("MNIST", "mnist", 0.1307, 0.3081),
    FASHION_MNIST("Fashion-MNIST", "fashion-mnist", 0.2860, 0.3530);

    /** Both datasets have ten classes (digits; clothing types). */
    static final int CLASSES = 10;

    private final String title;
    private final String folder;
    private final double mean;
    private final double std;

    IdxDataset(String title, String folder, double mean, double std) {
        this.title = title;
        this.folder = folder;
        this.mean = mean;
        this.std = std;
    }

    /** Human name used in messages, e.g. {@code Fashion-MNIST}. */
    String title() {
        return title;
    }

    /** Folder under {@code datasets/} and argument of {@code datasets/fetch}. */
    String folder() {
        return folder;
    }

    double mean() {
        return mean;
    }

    double std() {
        return std;
    }
}
