package org.prune4j.density;

/**
 * Which layers stay dense while the others share the sparsity budget: the first layer (the input
 * convolution, tiny and sensitive) and/or the last one (the classifier). methods.md, "Which tensors".
 *
 * @param first keep the first layer in the list dense
 * @param last keep the last layer in the list dense
 */
public record DenseLayers(boolean first, boolean last) {

    /** Every layer is masked. */
    public static final DenseLayers NONE = new DenseLayers(false, false);
    /** The first layer stays dense. */
    public static final DenseLayers FIRST = new DenseLayers(true, false);
    /** The last layer (the classifier) stays dense. */
    public static final DenseLayers LAST = new DenseLayers(false, true);
    /** The first and the last layers stay dense. */
    public static final DenseLayers FIRST_AND_LAST = new DenseLayers(true, true);

    /** Whether layer {@code index} of {@code layerCount} layers is kept dense. */
    public boolean isDense(int index, int layerCount) {
        return (first && index == 0) || (last && index == layerCount - 1);
    }

    @Override
    public String toString() {
        if (first && last) {
            return "first and last layers dense";
        }
        return first ? "first layer dense" : last ? "last layer dense" : "no dense layers";
    }
}
