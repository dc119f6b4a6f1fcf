package org.prune4j.mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The shape a mask may take for one weight tensor: unstructured, N:M, channel or block, all answering
 * the same three questions.
 *
 * <p>Shaped after torch.nn.utils.prune's {@code BasePruningMethod}: one job (turn scores into a mask
 * with an exact number of kept weights) and everything else composed around it.
 */
public interface Pattern {

    /** A short name for tables and the command line, such as {@code unstructured} or {@code 2:4}. */
    String name();

    /**
     * Checks that this pattern can tile a weight of the given shape.
     *
     * @throws IllegalArgumentException naming the layer and shape when it cannot
     */
    default void validate(String layer, Shape shape) {}

    /**
     * The number of weights to keep that this pattern can represent, closest to {@code density}
     * times the weight's size.
     */
    long keepCount(Shape shape, double density);

    /**
     * A float mask of {@code scores}' shape holding exactly {@code keep} ones at the highest scores.
     * Runs on the scores' device; ties are broken deterministically.
     */
    NDArray select(NDArray scores, long keep);

    /**
     * Like {@link #select}, but positions where {@code forced} is nonzero are taken first (they count
     * towards {@code keep}); the rest of the places go to the highest scores. This is the regrowth
     * helper: pass the surviving weights as {@code forced} and the growth scores (for example |grad|)
     * as {@code scores}, and the pattern still holds, e.g. exactly N per group under N:M (if a group has
     * more than N forced positions, the N with the highest scores among them win).
     */
    default NDArray selectForcing(NDArray scores, NDArray forced, long keep) {
        try (NDArray lifted = ai.djl.ndarray.NDArrays.where(forced.toType(ai.djl.ndarray.types.DataType.BOOLEAN, false),
                scores.add(scores.abs().max().add(1)), scores)) {
            return select(lifted, keep);
        }
    }

    /** Every weight is chosen on its own: the pattern of classic magnitude pruning. */
    static Pattern unstructured() {
        return Unstructured.INSTANCE;
    }

    /** N of every M consecutive weights along the input dimension (see {@link NofM}). */
    static NofM nOfM(int n, int m) {
        return new NofM(n, m);
    }

    /** Whole output channels or neurons. */
    static Pattern channel() {
        return Channel.INSTANCE;
    }

    /** Tiles of {@code rows} x {@code cols} of the (out, fan-in) view (see {@link BlockPattern}). */
    static BlockPattern block(int rows, int cols) {
        return new BlockPattern(rows, cols);
    }

    /** The forms {@link #parse} accepts. */
    String FORMS = "unstructured, N:M (such as 2:4), channel, block:BxK (such as block:4x4)";

    /**
     * A pattern by its command-line name: {@code unstructured}, {@code N:M}, {@code channel} or
     * {@code block:BxK}.
     *
     * @throws IllegalArgumentException for anything else, listing the accepted forms
     */
    static Pattern parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("unstructured")) {
            return unstructured();
        }
        if (t.equals("channel")) {
            return channel();
        }
        java.util.regex.Matcher nm = java.util.regex.Pattern.compile("(\\d+):(\\d+)").matcher(t);
        if (nm.matches()) {
            return nOfM(Integer.parseInt(nm.group(1)), Integer.parseInt(nm.group(2)));
        }
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("block:(\\d+)x(\\d+)").matcher(t);
        if (block.matches()) {
            return block(Integer.parseInt(block.group(1)), Integer.parseInt(block.group(2)));
        }
        throw new IllegalArgumentException("unknown pattern '" + text + "': expected " + FORMS);
    }
}
