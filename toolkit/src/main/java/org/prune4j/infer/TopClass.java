package org.prune4j.infer;

/** The predicted class of one example from batch-major logits: the first index of the largest logit. */
public final class TopClass {

    private TopClass() {}

    /**
     * The class with the largest logit in row {@code row} of {@code logits} ({@code classes} values per row);
     * a tie goes to the lower class, so two paths with equal logits always agree.
     */
    public static int of(float[] logits, int row, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (logits[row * classes + c] > logits[row * classes + best]) {
                best = c;
            }
        }
        return best;
    }
}
