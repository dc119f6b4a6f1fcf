package org.prune4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Stops training at the first NaN or infinite loss, naming the exact step, without reading the device
 * every step.
 *
 * <p>Why this shape: a per-step {@code getFloat()} of the loss would synchronise a GPU every step, and
 * the per-epoch sums only show a NaN at the end of the epoch, with no step to name. So each step's loss
 * tensor (computed anyway) is kept, with no extra device operation; every {@code every} steps and at epoch
 * ends one sum over the kept losses is read (a NaN or infinity anywhere makes the sum non-finite), and only
 * when it is non-finite are the kept losses read one by one to find the first bad step. The cost is one
 * small reduction and one host read per {@code every} steps (50 by default).
 *
 * <p>Parameters are checked (one combined count, one read) at epoch ends and before each checkpoint, so
 * no checkpoint ever holds a NaN; a NaN weight also shows in the next step's loss, which names it.
 */
final class FiniteCheck implements AutoCloseable {

    /** Steps between two reads of the kept losses. */
    static final int DEFAULT_EVERY = 50;

    private record Kept(NDArray loss, long step, int epoch, int batch) {}

    private final int every;
    private final int stepsPerEpoch;
    private final List<Kept> kept = new ArrayList<>();

    FiniteCheck(int every, int stepsPerEpoch) {
        this.every = every;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /**
     * Keeps a step's loss until the next check; takes it out of the step's scope.
     *
     * @param step  the step, counted from 1
     * @param epoch its epoch, counted from 1
     * @param batch its batch within the epoch, counted from 1
     */
    void keep(NDArray loss, long step, int epoch, int batch) {
        NDScope.unregister(loss);
        kept.add(new Kept(loss, step, epoch, batch));
    }

    /** Whether enough losses are kept to check them now. */
    boolean due() {
        return kept.size() >= every;
    }

    /**
     * Reads the sum of the kept losses; throws naming the first non-finite one, and the first parameter of
     * {@code block} that is non-finite too, if any. Frees the kept losses either way.
     */
    void checkLosses(Block block) {
        if (kept.isEmpty()) {
            return;
        }
        try {
            float total;
            try (NDScope ignored = new NDScope()) {
                NDList losses = new NDList(kept.size());
                kept.forEach(k -> losses.add(k.loss().reshape(1)));
                total = NDArrays.concat(losses).sum().getFloat();
            }
            if (Float.isFinite(total)) {
                return;
            }
            for (Kept k : kept) {
                float value = k.loss().getFloat();
                if (!Float.isFinite(value)) {
                    String layer = firstNonFiniteParameter(block);
                    throw new TrainingDivergedException(String.format(Locale.ROOT,
                            "training diverged: the loss is %s at step %d (epoch %d, batch %d of %d)%s;"
                                    + " expected a finite loss: lower the learning rate or check the data",
                            value, k.step(), k.epoch(), k.batch(), stepsPerEpoch,
                            layer == null ? "" : ", and parameter " + layer + " holds NaN or infinite values"),
                            k.step(), k.epoch(), layer);
                }
            }
        } finally {
            kept.forEach(k -> k.loss().close());
            kept.clear();
        }
    }

    /** Throws naming the first parameter of {@code block} holding a NaN or an infinity after {@code step}. */
    static void checkParameters(Block block, long step, int epoch) {
        String layer = firstNonFiniteParameter(block);
        if (layer != null) {
            throw new TrainingDivergedException(String.format(Locale.ROOT,
                    "training diverged: parameter %s holds NaN or infinite values after step %d (epoch %d);"
                            + " expected finite weights: lower the learning rate or check the data", layer, step, epoch),
                    step, epoch, layer);
        }
    }

    /** The name of the first parameter with a non-finite value, or null; one host read when all are finite. */
    static String firstNonFiniteParameter(Block block) {
        List<Pair<String, Parameter>> parameters = block.getParameters().stream()
                .filter(p -> p.getValue().isInitialized()).toList();
        if (parameters.isEmpty()) {
            return null;
        }
        try (NDScope ignored = new NDScope()) {
            NDArray total = null;
            for (Pair<String, Parameter> parameter : parameters) {
                NDArray bad = nonFiniteCount(parameter.getValue().getArray());
                total = total == null ? bad : total.add(bad);
            }
            if (total.getLong() == 0) {
                return null;
            }
            for (Pair<String, Parameter> parameter : parameters) {
                if (nonFiniteCount(parameter.getValue().getArray()).getLong() > 0) {
                    return parameter.getKey();
                }
            }
            return null;
        }
    }

    private static NDArray nonFiniteCount(NDArray values) {
        return values.isNaN().logicalOr(values.isInfinite()).countNonzero();
    }

    @Override
    public void close() {
        kept.forEach(k -> k.loss().close());
        kept.clear();
    }
}
